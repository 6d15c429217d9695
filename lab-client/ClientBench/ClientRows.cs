using System.Globalization;
using Lab.Client.Analysis;
using Lab.Client.Recording;

namespace Lab.Client.ClientBench;

/// <summary>
/// The lab client's own rows: a generated scenario run by the client as a child process (<c>run … --server-url</c>),
/// exactly as a user runs one, then read back from its run folder with the client's own types.
/// </summary>
public static class ClientRows
{
    /// <summary>Open model at <paramref name="rate"/>/s against <c>/fast</c> of the bench's server pair.</summary>
    public static async Task<BenchRow> OpenAsync(ClientBenchOptions o, string folder, Uri server, Uri backend, double rate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var name = string.Create(CultureInfo.InvariantCulture, $"open-{rate:0.##}");
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            # Client capacity row, written by ./run-lab.sh client-bench: open model at {{rate:0.##}}/s against /fast.
            name: client-bench-{{name}}
            description: open-model inject at {{rate:0.##}}/s against /fast for {{o.DurationS:0.##}} s (lab-client client-bench)
            load: { model: open, phases: [ { inject: { ratePerS: {{rate:0.##}}, durationS: {{o.DurationS:0.##}} } } ] }
            variants: [ { name: fast, endpoint: /fast } ]
            client: { warmupRequests: 200, drainS: 5 }
            """);
        var load = HostProbe.LoadAverage1m();
        var before = MachineCpu.Read();
        var (run, command) = await RunClientAsync(o, folder, name, yaml, server, backend, o.DurationS + 5, ct);
        var steal = HostProbe.StealSince(before);
        var v = run.Manifest.Variants.Single();
        var (achieved, cpu) = ClientMetricsRows.Steady(ClientMetricsRows.Read(Path.Combine(run.Folder, "client-metrics.csv")), o.DurationS);
        return new BenchRow("lab-client", "open", rate, achieved, v.LagP50Ms, v.LagP99Ms, v.LagMaxMs, v.Outcomes.GetValueOrDefault("dropped"), cpu,
            v.ClientLimited, Math.Max(load, HostProbe.LoadAverage1m()), command, v.Status == "complete" ? null : $"{v.Status}: {v.Reason}", steal);
    }

    /// <summary>
    /// Closed model, <see cref="ClientBenchOptions.ClosedUsers"/> users, against a fresh server pair (as every run's variant
    /// gets): p99 of the requests intended in the first second against the rest.
    /// </summary>
    public static async Task<ClosedRow> ClosedAsync(ClientBenchOptions o, string folder, string id, string setup, Uri server, Uri backend, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var name = $"closed-{id}";
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            # Client cold-start row, written by ./run-lab.sh client-bench: {{o.ClosedUsers}} closed-model users from t0.
            name: client-bench-{{name}}
            description: {{o.ClosedUsers}} closed-model users against {{o.ClosedEndpoint}} for {{o.ClosedDurationS:0.##}} s, fresh server ({{setup}})
            load: { model: closed, phases: [ { keepConcurrent: { users: {{o.ClosedUsers}}, durationS: {{o.ClosedDurationS:0.##}} } } ] }
            variants: [ { name: closed, endpoint: "{{o.ClosedEndpoint}}" } ]
            client: { drainS: 10 }
            """);
        var load = HostProbe.LoadAverage1m();
        var (run, command) = await RunClientAsync(o, folder, name, yaml, server, backend, o.ClosedDurationS + 10, ct);
        var (first, rest) = (new Distribution(), new Distribution());
        foreach (var r in RequestLog.Read(run.Folder).Where(r => r.Answered && r.IntendedMs < o.ClosedDurationS * 1000))
        {
            (r.IntendedMs < 1000 ? first : rest).Record(r.LatencyMs!.Value);
        }

        return new ClosedRow(setup, o.ClosedUsers, o.ClosedEndpoint, o.ClosedDurationS, first.Count, first.ApproximateMs(0.99), rest.Count,
            rest.ApproximateMs(0.99), rest.ApproximateMs(0.50), Math.Max(load, HostProbe.LoadAverage1m()), command);
    }

    private static async Task<(RunData Run, string Command)> RunClientAsync(
        ClientBenchOptions o, string folder, string name, string yaml, Uri server, Uri backend, double loadS, CancellationToken ct)
    {
        var scenario = Path.Combine(folder, "scenarios", name + ".yaml");
        await File.WriteAllTextAsync(scenario, yaml + "\n", ct);
        var runs = Path.Combine(folder, "runs");
        Directory.CreateDirectory(runs);
        var before = Directory.GetDirectories(runs).ToHashSet(StringComparer.Ordinal);
        string[] args = [o.ClientDll, "run", scenario, "--server-url", server.ToString(), "--backend-url", backend.ToString(), "--out", runs, "--progress", "none"];
        // Start-up, warm-up and the report take a minute at most on a loaded 2-core machine; the load itself is bounded.
        var result = await ChildRun.RunAsync("dotnet", args, Path.Combine(folder, "logs", name + ".log"), TimeSpan.FromSeconds(loadS + 120), ct);
        var made = Directory.GetDirectories(runs).Where(d => !before.Contains(d)).ToList();
        if (made.Count != 1 || result.TimedOut)
        {
            throw new InvalidOperationException($"client row {name}: exit {result.ExitCode}{(result.TimedOut ? ", stopped at its time bound" : "")}; see {Path.Combine(folder, "logs", name + ".log")}");
        }

        return (RunData.Load(made[0]), "dotnet Lab.Client.dll " + string.Join(' ', args.Skip(1).Select(a => a.StartsWith(folder, StringComparison.Ordinal) ? Path.GetRelativePath(folder, a) : a)));
    }
}
