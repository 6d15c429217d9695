using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Client.Recording;

namespace Lab.Client.ClientBench;

/// <summary>
/// wrk and hey on the same endpoint, closed model with <see cref="ClientBenchOptions.ToolConnections"/> connections:
/// wrk and hey flat out, and hey rate-limited to the comparison rate (its <c>-q</c> is per connection). Their CPU is
/// their whole process's, from getrusage once they have exited.
/// </summary>
public static partial class ToolRows
{
    public const string InstallHint = "apt-get update && apt-get install -y wrk hey";

    public static async Task<BenchRow> WrkAsync(ClientBenchOptions o, string folder, string wrk, Uri server, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var url = new Uri(server, "/fast").ToString();
        string[] args = ["-t2", $"-c{o.ToolConnections}", string.Create(CultureInfo.InvariantCulture, $"-d{o.DurationS:0}s"), url];
        var load = HostProbe.LoadAverage1m();
        var before = MachineCpu.Read();
        var r = await ChildRun.RunAsync(wrk, args, Path.Combine(folder, "logs", "wrk.log"), TimeSpan.FromSeconds(o.DurationS + 30), ct);
        var requests = Number(WrkRequests().Match(r.Output));
        var perS = Number(WrkRate().Match(r.Output));
        return Row($"wrk -t2 -c{o.ToolConnections}", null, perS, requests, r, load, "wrk " + string.Join(' ', args), HostProbe.StealSince(before));
    }

    public static async Task<BenchRow> HeyAsync(ClientBenchOptions o, string folder, string hey, Uri server, double? ratePerS, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var url = new Uri(server, "/fast").ToString();
        var args = new List<string> { "-z", string.Create(CultureInfo.InvariantCulture, $"{o.DurationS:0}s"), "-c", o.ToolConnections.ToString(CultureInfo.InvariantCulture) };
        var perConnection = ratePerS is { } rate ? (rate / o.ToolConnections).ToString("0.###", CultureInfo.InvariantCulture) : null;
        if (perConnection is not null) args.AddRange(["-q", perConnection]);
        args.Add(url);
        var load = HostProbe.LoadAverage1m();
        var log = ratePerS is null ? "hey.log" : string.Create(CultureInfo.InvariantCulture, $"hey-{ratePerS:0}.log");
        var before = MachineCpu.Read();
        var r = await ChildRun.RunAsync(hey, args, Path.Combine(folder, "logs", log), TimeSpan.FromSeconds(o.DurationS + 30), ct);
        var ok = Number(HeyOk().Match(r.Output));
        var perS = Number(HeyRate().Match(r.Output));
        var label = perConnection is null ? $"hey -c{o.ToolConnections}" : $"hey -c{o.ToolConnections} -q {perConnection}";
        return Row(label, ratePerS, perS, ok, r, load, "hey " + string.Join(' ', args), HostProbe.StealSince(before));
    }

    private static BenchRow Row(string tool, double? target, double perS, double requests, ChildRun.Result r, double load, string command, double? steal) =>
        new(tool, "closed", target, perS, null, null, null, null, requests > 0 ? r.Cpu.TotalMilliseconds / requests * 1000 : double.NaN, false,
            Math.Max(load, HostProbe.LoadAverage1m()), command, r.ExitCode == 0 && requests > 0 ? null : $"exit {r.ExitCode}; no requests counted", steal);

    private static double Number(Match m) => m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex WrkRequests();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex WrkRate();

    [GeneratedRegex(@"\[200\]\s+(\d+) responses")]
    private static partial Regex HeyOk();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex HeyRate();
}
