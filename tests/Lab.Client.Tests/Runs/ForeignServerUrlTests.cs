using Lab.Client.Analysis;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// <c>run --server-url</c> against a server the lab did not write and did not start (tests/PeerApp, started here on a
/// free loopback port and stopped by its PID): the load is sent all the same; without <c>--target-pid</c> the run says
/// once that the target gives no lab telemetry and the report marks the server side "no telemetry"; with it, the
/// thread pool comes through the process's diagnostics port.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class ForeignServerUrlTests
{
    /// <summary>Two variants, so a message said per variant run would show twice.</summary>
    private const string Scenario = """
        name: peer-remote
        description: the peer app started by hand, {ratePerS} requests/s of {delayMs} ms awaited
        params:
          delayMs: 50
          ratePerS: 20
        load: { model: open, phases: [ { inject: { ratePerS: ratePerS, durationS: 1 } } ] }
        variants:
          - name: async
            endpoint: /async?delayMs={delayMs}
          - name: taskwait
            endpoint: /taskwait?delayMs={delayMs}
        client: { timeoutS: 10, drainS: 5 }
        """;

    /// <summary>PeerApp on a free loopback port, ready when it answers; stopped by its own PID (SIGTERM, then SIGKILL).</summary>
    private static Task<TargetProcess> StartPeerAsync(HttpClient http) => TargetProcess.StartAsync(
        new TargetSpec(["dotnet", ForeignTargetTests.PeerDll(), "--urls", "http://127.0.0.1:$PORT"], "http://127.0.0.1:$PORT", "/", 60,
            new Dictionary<string, string>(), "none", 100),
        new Dictionary<string, string>(), backend: null, http, CancellationToken.None);

    private static async Task<(RunResult Result, string Said)> RunAsync(Uri server, int? targetPid, string scenario = Scenario)
    {
        var dir = Processes.NewFolder();
        var said = new StringWriter();
        var options = new RunOptions { ResultsRoot = Path.Combine(dir, "results"), ServerUrl = server, TargetPid = targetPid };
        var result = await new Orchestrator(options, new PlainProgress(TextWriter.Synchronized(said)))
            .RunAsync(ScenarioLoader.Load(Processes.WriteScenario(dir, scenario)), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        return (result, said.ToString());
    }

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task Without_a_target_pid_the_load_is_sent_the_run_says_once_there_is_no_lab_telemetry_and_the_report_marks_it()
    {
        using var http = new HttpClient();
        await using var peer = await StartPeerAsync(http);

        var (result, said) = await RunAsync(peer.Url, targetPid: null);

        Assert.True(result.Complete, string.Join("; ", result.Reasons));
        Assert.True(Processes.IsAlive(peer.ProcessId), "the lab must not stop a server it did not start");
        var report = ReportWriter.Write(result.Folder);
        Assert.Equal(["async", "taskwait"], report.Variants.Select(v => v.Name));
        Assert.All(report.Variants, v => Assert.Equal(20, v.Median("count.ok")));
        Assert.All(report.Variants, v => Assert.Equal((false, TelemetrySource.None), (v.HasTelemetry, v.TelemetrySource)));

        // Said once for the run, not once per variant run, naming the URL it asked and the way to get telemetry.
        Assert.Equal(1, Occurrences(said, "is not a lab-server"));
        Assert.Contains($"GET {new Uri(peer.Url, "/lab/info")} → 404", said, StringComparison.Ordinal);
        Assert.Contains("no lab telemetry", said, StringComparison.Ordinal);
        Assert.Contains("--target-pid", said, StringComparison.Ordinal);

        Assert.All(report.Variants, v => Assert.Equal("no telemetry", SummaryRows.Cell(v, "queue.max", "items")));
        var html = File.ReadAllText(Path.Combine(result.Folder, "report.html"));
        Assert.Contains("No telemetry (async)", html, StringComparison.Ordinal);
        Assert.Contains("No telemetry (taskwait)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sampler thread", html, StringComparison.Ordinal);
        Assert.DoesNotContain("diagnostics port (EventPipe)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_servers_pid_its_thread_pool_series_come_from_the_diagnostics_port()
    {
        using var http = new HttpClient();
        await using var peer = await StartPeerAsync(http);

        var (result, said) = await RunAsync(peer.Url, targetPid: peer.ProcessId);

        Assert.True(result.Complete, string.Join("; ", result.Reasons));
        Assert.Equal(1, Occurrences(said, "is not a lab-server"));
        Assert.Contains($"process {peer.ProcessId}'s diagnostics port", said, StringComparison.Ordinal);
        var run = RunManifest.Read(result.Folder);
        Assert.All(run.Variants, v => Assert.Equal(v.Server.SamplesFile, v.Server.CountersFile));
        Assert.All(run.Variants, v => Assert.Equal(peer.ProcessId, v.Server.ProcessId));
        var report = ReportWriter.Write(result.Folder);
        Assert.All(report.Variants, v => Assert.Equal(20, v.Median("count.ok")));
        foreach (var v in report.Variants)
        {
            Assert.Equal((true, TelemetrySource.DiagnosticsPort), (v.HasTelemetry, v.TelemetrySource));
            var samples = RunData.ReadSamples(Path.Combine(result.Folder, run.Variants.Single(r => r.Name == v.Name).Server.SamplesFile!));
            Assert.True(samples.Count >= 5, $"{v.Name}: only {samples.Count} samples from the diagnostics port");
            Assert.True(v.Median("threads.max") >= 1, $"{v.Name}: no thread-pool thread count in the samples");
            Assert.NotEqual("no telemetry", SummaryRows.Cell(v, "queue.max", "items"));
        }

        // The thread-pool chart draws each variant's pool, and the report names where the figures came from.
        var threads = ChartSet.For(report).Single(c => c.Id == "threads");
        Assert.Contains(threads.Series, s => s.Label == "async pool" && s.Points.Any(p => p.Y >= 1));
        Assert.Contains(threads.Series, s => s.Label == "taskwait pool" && s.Points.Any(p => p.Y >= 1));
        var notes = HtmlReportWriter.Notes(report);
        Assert.Contains("Server figures of async, taskwait come from the runtime's counters, read through the process's diagnostics port", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("sampler thread", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("No telemetry", File.ReadAllText(Path.Combine(result.Folder, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_url_on_the_command_line_wins_over_the_scenarios_own_target()
    {
        using var http = new HttpClient();
        await using var peer = await StartPeerAsync(http);
        // A target whose command would fail the run if it were started: the load must go to the server named instead.
        var withTarget = Scenario.Replace("load:", $$"""
            target:
              command: [{{Path.Combine(AppContext.BaseDirectory, "no-such-server")}}]
              url: "http://127.0.0.1:$PORT"
            load:
            """, StringComparison.Ordinal);

        var (result, said) = await RunAsync(peer.Url, targetPid: null, withTarget);

        Assert.True(result.Complete, string.Join("; ", result.Reasons));
        Assert.Contains($"--server-url {peer.Url} given: the scenario's target", said, StringComparison.Ordinal);
        var run = RunManifest.Read(result.Folder);
        Assert.Equal("remote", run.Mode);
        Assert.All(run.Variants, v => Assert.Equal(peer.Url.ToString(), v.Server.Url));
        Assert.All(ReportWriter.Write(result.Folder).Variants, v => Assert.Equal(20, v.Median("count.ok")));
    }
}
