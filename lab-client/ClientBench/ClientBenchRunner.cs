using System.Globalization;
using System.Runtime.InteropServices;
using Lab.Client.Running;

namespace Lab.Client.ClientBench;

/// <summary>
/// One sitting of the client's capacity benchmark (not a test): under the machine-wide test lock, a lab-server pair on
/// loopback (started and stopped by PID), the client open-model at each rate against <c>/fast</c>, wrk and hey on the
/// same endpoint, then closed-model cold starts on fresh server pairs; the table, the goals and every run folder under
/// <c>results/&lt;timestamp&gt;-client-bench/</c>.
/// </summary>
public static class ClientBenchRunner
{
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(5);

    public static async Task<(ClientBenchReport Report, IReadOnlyList<GoalVerdict> Goals, string Folder)> RunAsync(ClientBenchOptions o, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        using var machineLock = await MachineLockFile.AcquireAsync(TimeSpan.FromMinutes(30),
            () => output.WriteLine($"client-bench: waiting for the machine lock {MachineLockFile.LockPath} (a test run holds it)…"), ct);
        var started = DateTimeOffset.UtcNow;
        var folder = RunFolder.Create(o.ResultsRoot, "client-bench", started);
        foreach (var sub in new[] { "scenarios", "logs", "runs" }) Directory.CreateDirectory(Path.Combine(folder, sub));
        output.WriteLine($"client-bench: {folder}");
        var rows = new List<BenchRow>();
        var closed = new List<ClosedRow>();
        var notes = new List<string>();
        void Print(BenchRow r) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {r.Tool,-18} {r.Model,-6} target {r.TargetPerS?.ToString("#,0", CultureInfo.InvariantCulture) ?? "–",7} achieved {r.AchievedPerS,8:#,0}/s  lag p99 {r.LagP99Ms?.ToString("0.###", CultureInfo.InvariantCulture) ?? "–",8} ms  dropped {r.Dropped?.ToString(CultureInfo.InvariantCulture) ?? "–",6}  CPU {r.CpuMsPer1k,6:0.#} ms/1k  load {r.LoadAverage1m:0.##}{(r.Note is null ? "" : "  " + r.Note)}"));

        await using (var pair = await ServerPair.StartAsync([], ct))
        {
            output.WriteLine($"  server pid {pair.Server.ProcessId} {pair.Server.Url}, backend pid {pair.Backend.ProcessId} {pair.Backend.Url}");
            foreach (var rate in o.Rates)
            {
                try
                {
                    rows.Add(await ClientRows.OpenAsync(o, folder, pair.Server.Url, pair.Backend.Url, rate, ct));
                    Print(rows[^1]);
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or InvalidDataException or FormatException)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"The client row at {rate:#,0}/s did not complete: {ex.Message}"));
                    output.WriteLine("  " + notes[^1]);
                }
            }

            if (o.Tools) await ToolsAsync(o, folder, pair.Server.Url, rows, notes, Print, output, ct);
        }

        if (o.Closed)
        {
            // A fresh pair per row, as every variant of a run gets: the cold start is the point. The second row opens the
            // server's backend connections before it is ready (its prewarmConnections knob), to tell its share apart.
            (string Id, string Setup, KeyValuePair<string, string>[] Settings)[] setups =
            [
                ("fresh", "fresh server", []),
                ("prewarmed", "fresh server, prewarmConnections " + o.ClosedUsers.ToString(CultureInfo.InvariantCulture), [new("PrewarmConnections", o.ClosedUsers.ToString(CultureInfo.InvariantCulture))]),
            ];
            foreach (var (id, setup, settings) in setups)
            {
                await using var pair = await ServerPair.StartAsync(settings, ct);
                try
                {
                    closed.Add(await ClientRows.ClosedAsync(o, folder, id, setup, pair.Server.Url, pair.Backend.Url, ct));
                    var c = closed[^1];
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  closed {c.Users} users, {setup}: first-second p99 {c.FirstSecondP99Ms:0.#} ms, after {c.RestP99Ms:0.#} ms ({c.Ratio:0.00}×), load {c.LoadAverage1m:0.##}"));
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or InvalidDataException or FormatException)
                {
                    notes.Add($"The closed row ({setup}) did not complete: {ex.Message}");
                    output.WriteLine("  " + notes[^1]);
                }
            }
        }

        notes.Add("Client rows: `run` of a generated scenario against the bench's server pair (scenarios/ and runs/ in this folder). Achieved and CPU are over the load's steady seconds (from the second to the second-to-last) of client-metrics.csv, where the client writes its own process CPU each second; lag from run.json (the whole run).");
        notes.Add("wrk and hey: closed model, their whole process CPU (getrusage of the exited child) per 1,000 answered requests; hey -q limits each connection, so -c × -q is its rate.");
        var report = new ClientBenchReport(ClientBenchReport.CurrentVersion, started, DateTimeOffset.UtcNow, HostProbe.CpuModel(), Environment.ProcessorCount,
            RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, o.CommandLine, o.ClientDll, Load.DispatcherScheduling.Probe(), o.DurationS, rows, closed, notes);
        var goals = BenchGoals.Judge(report, o.CompareRatePerS);
        report.Write(Path.Combine(folder, ClientBenchReport.JsonFileName));
        await File.WriteAllTextAsync(Path.Combine(folder, ClientBenchReport.MarkdownFileName), ClientBenchMarkdownWriter.Render(report, goals), CancellationToken.None);
        return (report, goals, folder);
    }

    private static async Task ToolsAsync(ClientBenchOptions o, string folder, Uri server, List<BenchRow> rows, List<string> notes, Action<BenchRow> print, TextWriter output, CancellationToken ct)
    {
        if (ChildRun.Find("wrk") is { } wrk)
        {
            rows.Add(await ToolRows.WrkAsync(o, folder, wrk, server, ct));
            print(rows[^1]);
        }
        else
        {
            notes.Add($"wrk is not installed ({ToolRows.InstallHint}): no wrk row.");
            output.WriteLine("  " + notes[^1]);
        }

        if (ChildRun.Find("hey") is { } hey)
        {
            rows.Add(await ToolRows.HeyAsync(o, folder, hey, server, null, ct));
            print(rows[^1]);
            rows.Add(await ToolRows.HeyAsync(o, folder, hey, server, o.CompareRatePerS, ct));
            print(rows[^1]);
        }
        else
        {
            notes.Add($"hey is not installed ({ToolRows.InstallHint}): no hey rows, so the CPU goal is not judged.");
            output.WriteLine("  " + notes[^1]);
        }
    }

    /// <summary>A backend and a server on loopback, started for the bench and stopped by their PIDs whatever happens.</summary>
    private sealed class ServerPair : IAsyncDisposable
    {
        private ServerPair(LabServerProcess backend, LabServerProcess server) => (Backend, Server) = (backend, server);

        public LabServerProcess Backend { get; }
        public LabServerProcess Server { get; }

        public static async Task<ServerPair> StartAsync(KeyValuePair<string, string>[] serverSettings, CancellationToken ct)
        {
            var backend = await LabServerProcess.StartAsync("backend", [], s_ready, ct);
            try
            {
                var server = await LabServerProcess.StartAsync("server", [new("BackendUrl", backend.Url.ToString()), .. serverSettings], s_ready, ct);
                return new ServerPair(backend, server);
            }
            catch
            {
                await backend.StopAsync(s_stopGrace);
                await backend.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Server.StopAsync(s_stopGrace);
            await Server.DisposeAsync();
            await Backend.StopAsync(s_stopGrace);
            await Backend.DisposeAsync();
        }
    }
}
