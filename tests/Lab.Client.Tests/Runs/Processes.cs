using System.Diagnostics;
using Lab.Client.Recording;
using Lab.Client.Running;

namespace Lab.Client.Tests.Runs;

/// <summary>Helpers for tests that run the real client, backend and server processes.</summary>
public static class Processes
{
    public static readonly string Root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;

    /// <summary>Alive means running: a zombie (exited, not yet reaped) counts as gone.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!OperatingSystem.IsLinux()) return Process.GetProcesses().Any(p => p.Id == pid);
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<bool> GoneWithinAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (pids.All(p => !IsAlive(p))) return true;
            await Task.Delay(100);
        }

        return pids.All(p => !IsAlive(p));
    }

    /// <summary>Starts <c>dotnet Lab.Client.dll args…</c> from the build output, output captured.</summary>
    public static Process StartClient(params string[] args)
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(Root, "lab-client", "bin", config, "net10.0", "Lab.Client.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Whether <paramref name="pid"/> ignores SIGINT (bit 2 of SigIgn in /proc/pid/status). A process started from a
    /// background job of a non-interactive shell inherits SIGINT ignored, and .NET keeps it that way: Ctrl+C cannot
    /// reach it, only SIGTERM, which the lab treats the same.
    /// </summary>
    public static bool IgnoresSigInt(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Waits for the single run folder under <paramref name="root"/> to show a variant running; returns its run.json.</summary>
    public static async Task<(string Folder, RunManifest Run)> WaitForRunningAsync(string root, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var dir in Directory.Exists(root) ? Directory.GetDirectories(root) : [])
            {
                try
                {
                    var run = RunManifest.Read(dir);
                    if (run.Variants.Any(v => v.Status == "running")) return (dir, run);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
                {
                    // Being written; look again.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no variant started running under {root} within {timeout}");
    }

    /// <summary>Waits until requests.csv in <paramref name="folder"/> holds at least <paramref name="rows"/> records.</summary>
    public static async Task<bool> RecordedAsync(string folder, int rows, TimeSpan timeout)
    {
        var path = Path.Combine(folder, "requests.csv");
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var n = -1; // the header
                while (await reader.ReadLineAsync() is not null) n++;
                if (n >= rows) return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public static string NewFolder() => Directory.CreateTempSubdirectory("lab-run-").FullName;

    public static string WriteScenario(string folder, string body)
    {
        var path = Path.Combine(folder, "scenario-under-test.yaml");
        File.WriteAllText(path, "# C1: test scenario\n# Run: ./run-lab.sh run scenario-under-test.yaml\n" + body);
        return path;
    }

    public static IEnumerable<int> Pids(RunManifest run) =>
        new[] { run.Backend?.ProcessId }.Concat(run.Variants.Select(v => v.Server.ProcessId)).OfType<int>();
}
