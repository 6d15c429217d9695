using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Lab.Testing;

/// <summary>
/// A Linux network namespace a test made with iproute2 (<c>ip netns add</c>), so lab processes can talk over real
/// links — veth pairs on private addresses — without touching the machine's own network: nothing outside can reach
/// into it, and nothing in it can reach out. Its name is a prefix the test owns, the test host's PID and a role
/// (<see cref="NameFor"/>), so a later run can tell what a crashed run left behind (<see cref="SweepStaleAsync"/>)
/// from what is in use. Disposing stops every process still inside by PID (SIGTERM, then SIGKILL) and deletes the
/// namespace, which deletes its veth ends and with them their peers. Needs root.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(5);

    private NetworkNamespace(string name) => Name = name;

    /// <summary>iproute2's <c>ip</c>, or null when it is not installed.</summary>
    public static string? IpPath { get; } = Prerequisite.Iproute2.Find();

    public string Name { get; }

    /// <summary>Why namespaces cannot be made on this machine, or null when they can.</summary>
    public static async Task<string?> UnavailableAsync()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces are a Linux feature";
        if (!Environment.IsPrivilegedProcess) return "making network namespaces and veth pairs needs root, and this test host is not root";
        if (IpPath is null) return "iproute2's ip is not installed: `./run-lab.sh test` installs it (apt-get install iproute2)";
        var list = await IpAsync(["netns", "list"]);
        return list.ExitCode == 0 ? null : $"`ip netns list` failed with exit code {list.ExitCode}: {list.StandardError.Trim()}";
    }

    /// <summary><c>&lt;prefix&gt;&lt;this process's PID&gt;-&lt;role&gt;</c>: the PID lets <see cref="SweepStaleAsync"/> tell a leftover from a namespace in use.</summary>
    public static string NameFor(string prefix, string role) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{Environment.ProcessId}-{role}");

    public static async Task<NetworkNamespace> CreateAsync(string name)
    {
        await IpOrThrowAsync(["netns", "add", name]);
        var ns = new NetworkNamespace(name);
        // A new namespace's loopback is down; processes in it still use 127.0.0.1 (the client's warm-up stand-in does).
        await IpOrThrowAsync(["-n", name, "link", "set", "lo", "up"]);
        return ns;
    }

    /// <summary>
    /// A point-to-point link between two namespaces: a veth pair made with one end directly in each (no name ever
    /// appears in the machine's own namespace, so none can collide with its interfaces), an address on each end, both up.
    /// </summary>
    public static async Task LinkAsync(NetworkNamespace a, string aInterface, string aAddressCidr, NetworkNamespace b, string bInterface, string bAddressCidr)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        await IpOrThrowAsync(["link", "add", aInterface, "netns", a.Name, "type", "veth", "peer", "name", bInterface, "netns", b.Name]);
        foreach (var (ns, iface, address) in new[] { (a, aInterface, aAddressCidr), (b, bInterface, bAddressCidr) })
        {
            await IpOrThrowAsync(["-n", ns.Name, "addr", "add", address, "dev", iface]);
            await IpOrThrowAsync(["-n", ns.Name, "link", "set", iface, "up"]);
        }
    }

    /// <summary>The interface's byte counters, as <c>ip -s link show</c> inside this namespace reports them.</summary>
    public async Task<InterfaceBytes> BytesAsync(string iface)
    {
        var json = await IpOrThrowAsync(["-n", Name, "-s", "-j", "link", "show", "dev", iface]);
        using var doc = JsonDocument.Parse(json);
        var stats = doc.RootElement[0].GetProperty("stats64");
        return new InterfaceBytes(stats.GetProperty("rx").GetProperty("bytes").GetInt64(), stats.GetProperty("tx").GetProperty("bytes").GetInt64());
    }

    /// <summary>Every process whose network namespace this is (<c>ip netns pids</c>).</summary>
    public Task<IReadOnlyList<int>> ProcessIdsAsync() => ProcessIdsAsync(Name);

    /// <summary>
    /// Tries once to delay every packet leaving <paramref name="iface"/> by <paramref name="delayMs"/> with the netem
    /// queueing discipline. Many kernels (containers, minimal builds) lack it; then nothing changes and the message says why.
    /// </summary>
    public async Task<(bool Added, string Message)> TryAddDelayAsync(string iface, int delayMs)
    {
        var tc = Path.Combine(Path.GetDirectoryName(IpPath)!, "tc");
        if (!File.Exists(tc)) return (false, $"{tc} is not installed");
        var ms = delayMs.ToString(CultureInfo.InvariantCulture) + "ms";
        var result = await RunAsync(IpPath!, ["netns", "exec", Name, tc, "qdisc", "add", "dev", iface, "root", "netem", "delay", ms]);
        var output = (result.StandardError + result.StandardOutput).Trim();
        return result.ExitCode == 0
            ? (true, $"tc qdisc add dev {iface} root netem delay {ms}: added")
            : (false, $"tc qdisc add dev {iface} root netem delay {ms} failed with exit code {result.ExitCode}: {output}");
    }

    /// <summary>
    /// <c>ip netns exec &lt;name&gt; command arguments…</c>, output redirected. iproute2 enters the namespace and execs
    /// the command in place (no fork outside batch mode), so the process started is the command itself; callers that
    /// depend on that check it against <see cref="ProcessIdsAsync()"/>.
    /// </summary>
    public ProcessStartInfo StartInfo(string command, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = new ProcessStartInfo(IpPath ?? "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["netns", "exec", Name, command, .. arguments]) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Stops what is left inside by PID, then deletes the namespace; throws when it could not.</summary>
    public async ValueTask DisposeAsync() => await DeleteAsync(Name);

    /// <summary>Names of every network namespace on the machine.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync()
    {
        // Lines are "name" or "name (id: N)".
        var text = await IpOrThrowAsync(["netns", "list"]);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0])];
    }

    /// <summary>
    /// Deletes namespaces named <c>&lt;prefix&gt;&lt;PID&gt;-…</c> whose PID is not a running process (a test host that
    /// crashed or was killed before its cleanup), or is this process (tests here run one at a time, so a namespace of
    /// ours that still exists is left over). Processes still inside are stopped by PID first. Only that prefix is
    /// touched; returns what was removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepStaleAsync(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var removed = new List<string>();
        foreach (var name in await ListAsync())
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var owner = name[prefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid != Environment.ProcessId && IsAlive(pid)) continue;
            await DeleteAsync(name);
            removed.Add(name);
        }

        return removed;
    }

    private static async Task DeleteAsync(string name)
    {
        var pids = await ProcessIdsAsync(name);
        foreach (var pid in pids) RunningLabServer.Signals.Terminate(pid);
        if (!await Eventually.TrueAsync(() => pids.All(p => !IsAlive(p)), s_stopGrace, pollMs: 100))
        {
            foreach (var pid in pids.Where(IsAlive))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Gone between the check and the kill.
                }
            }

            await Eventually.TrueAsync(() => pids.All(p => !IsAlive(p)), s_stopGrace, pollMs: 100);
        }

        // A namespace is freed only when its last process is gone: deleting it earlier would just hide the name.
        var left = (await ProcessIdsAsync(name)).Where(IsAlive).ToList();
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"processes {string.Join(", ", left)} are still in network namespace {name} after SIGTERM and SIGKILL; it was not deleted.");
        }

        await IpOrThrowAsync(["netns", "del", name]);
    }

    private static async Task<IReadOnlyList<int>> ProcessIdsAsync(string name)
    {
        var result = await IpAsync(["netns", "pids", name]);
        if (result.ExitCode != 0) return [];
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
    }

    /// <summary>Alive means running: a zombie (exited, not yet reaped) counts as gone.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string> IpOrThrowAsync(string[] arguments)
    {
        var result = await IpAsync(arguments);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"`ip {string.Join(' ', arguments)}` failed with exit code {result.ExitCode}: {result.StandardError.Trim()}");
    }

    private static Task<(int ExitCode, string StandardOutput, string StandardError)> IpAsync(string[] arguments) =>
        RunAsync(IpPath ?? throw new InvalidOperationException("iproute2's ip is not installed."), arguments);

    /// <summary>Runs a short command to its end (bounded: killed after 30 s) and returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(string file, string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_commandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` did not finish within {s_commandTimeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
