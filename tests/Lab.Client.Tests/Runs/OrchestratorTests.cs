using Lab.Testing;
using System.Text.Json.Nodes;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Running;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Runs;

/// <summary>Whole runs with real backend, server and (where it matters) client processes on loopback.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class OrchestratorTests
{
    private const string TwoVariants = """
        name: e2e
        description: two variants, five seconds of load in all
        claims: [C1]
        load:
          model: open
          phases:
            - inject: { ratePerS: 20, durationS: 2 }
            - pause: { durationS: 0.5 }
        variants:
          - name: sync
            endpoint: /sync?delayMs=100
          - name: async
            endpoint: /async?delayMs=100
        client: { drainS: 10 }
        """;

    private const string Long = """
        name: long
        description: one variant, long enough to be interrupted
        claims: [C1]
        load:
          model: open
          phases:
            - inject: { ratePerS: 20, durationS: 60 }
        variants:
          - name: async
            endpoint: /async?delayMs=100
        client: { drainS: 5 }
        """;

    [Fact]
    public async Task A_two_variant_run_leaves_every_file_and_no_process()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, TwoVariants);
        using var client = Processes.StartClient("run", scenario, "--out", Path.Combine(dir, "results"), "--progress", "plain");
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");

        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(dir, "results")));
        Assert.Matches(@"[0-9]{8}T[0-9]{6}Z-e2e$", folder);
        foreach (var f in new[] { "run.json", "scenario.yaml", "requests.csv", "client-metrics.csv", "samples-backend.jsonl", "samples-sync.jsonl", "samples-async.jsonl" })
        {
            Assert.True(new FileInfo(Path.Combine(folder, f)) is { Exists: true, Length: > 0 }, $"{f} is missing or empty");
        }

        var run = RunManifest.Read(folder);
        Assert.Equal(RunStatus.Complete, run.Status);
        Assert.Equal(RunManifest.CurrentFormatVersion, run.FormatVersion);
        Assert.Equal(Environment.ProcessorCount, run.Machine.ProcessorCount);
        Assert.Equal(File.ReadAllText(scenario), run.Scenario.Text);
        Assert.Equal(Environment.ProcessorCount, run.Scenario.Resolved.ParameterValues["cpus"]);
        Assert.Equal(["sync", "async"], run.Variants.Select(v => v.Name));
        Assert.All(run.Variants, v =>
        {
            Assert.Equal("complete", v.Status);
            Assert.Equal(40, v.Outcomes["ok"]);
            Assert.True(v.T0UnixMs > 0);
            Assert.NotNull(v.Server.Info!["threadPool"]);
        });
        Assert.NotEqual(run.Variants[0].Server.ProcessId, run.Variants[1].Server.ProcessId);
        Assert.False(File.Exists(Path.Combine(folder, "inflight.csv")), "a finished run needs no in-flight journal");

        var rows = File.ReadAllLines(Path.Combine(folder, "requests.csv"));
        Assert.Equal(81, rows.Length);
        Assert.True(File.ReadAllLines(Path.Combine(folder, "samples-sync.jsonl")).Length >= 20);
        Assert.Contains("complete", await stdout, StringComparison.Ordinal);
        Assert.True(await Processes.GoneWithinAsync(Processes.Pids(run), TimeSpan.FromSeconds(5)), "a lab-server process outlived the run");
    }

    [Fact]
    public async Task A_server_killed_mid_run_leaves_the_data_an_incomplete_run_and_no_orphans()
    {
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, Long));
        var orchestrator = new Orchestrator(new RunOptions { ResultsRoot = Path.Combine(dir, "results") }, new PlainProgress(TextWriter.Null));
        var running = orchestrator.RunAsync(scenario, CancellationToken.None);

        var (folder, run) = await Processes.WaitForRunningAsync(Path.Combine(dir, "results"), TimeSpan.FromSeconds(60));
        Assert.True(await Processes.RecordedAsync(folder, 20, TimeSpan.FromSeconds(30)), "no requests were recorded before the kill");
        var serverPid = run.Variants[0].Server.ProcessId!.Value;
        System.Diagnostics.Process.GetProcessById(serverPid).Kill();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(result.Complete);
        var final = RunManifest.Read(folder);
        Assert.Equal(RunStatus.Incomplete, final.Status);
        Assert.Contains("server (pid", final.Variants[0].Reason, StringComparison.Ordinal);
        Assert.True(final.Variants[0].Outcomes["ok"] >= 10, "the requests before the crash are kept");
        Assert.True(File.ReadAllLines(Path.Combine(folder, "requests.csv")).Length > 10);
        Assert.True(await Processes.GoneWithinAsync(Processes.Pids(final), TimeSpan.FromSeconds(10)), "the backend outlived the run");
    }

    [Fact]
    public async Task A_backend_killed_mid_run_makes_the_run_incomplete_and_names_the_backend()
    {
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, Long));
        var orchestrator = new Orchestrator(new RunOptions { ResultsRoot = Path.Combine(dir, "results") }, new PlainProgress(TextWriter.Null));
        var running = orchestrator.RunAsync(scenario, CancellationToken.None);

        var (folder, run) = await Processes.WaitForRunningAsync(Path.Combine(dir, "results"), TimeSpan.FromSeconds(60));
        Assert.True(await Processes.RecordedAsync(folder, 20, TimeSpan.FromSeconds(30)), "no requests were recorded before the kill");
        System.Diagnostics.Process.GetProcessById(run.Backend!.ProcessId!.Value).Kill();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.False(result.Complete);
        var final = RunManifest.Read(folder);
        Assert.Equal(RunStatus.Incomplete, final.Status);
        Assert.Contains(final.Reasons, r => r.Contains($"the backend (lab-server backend, pid {run.Backend.ProcessId})", StringComparison.Ordinal));
        Assert.Equal("incomplete", final.Variants[0].Status);
        Assert.Contains("backend", final.Variants[0].Reason, StringComparison.Ordinal);
        var report = Lab.Client.Reports.ReportWriter.Write(folder);
        Assert.DoesNotContain(report.Verdicts, v => v.Passed);
    }

    [Fact]
    public async Task A_SIGKILLed_client_leaves_a_run_that_reports_itself_incomplete_with_its_in_flight_requests()
    {
        var dir = Processes.NewFolder();
        // 20 requests/s over 2 s: about 40 in flight at any moment.
        var scenario = Processes.WriteScenario(dir, Long.Replace("/async?delayMs=100", "/async?delayMs=2000", StringComparison.Ordinal));
        using var client = Processes.StartClient("run", scenario, "--out", Path.Combine(dir, "results"), "--progress", "none");
        _ = client.StandardOutput.ReadToEndAsync();
        _ = client.StandardError.ReadToEndAsync();
        var (folder, run) = await Processes.WaitForRunningAsync(Path.Combine(dir, "results"), TimeSpan.FromSeconds(60));
        Assert.True(await Processes.RecordedAsync(folder, 20, TimeSpan.FromSeconds(30)), "no requests were recorded before the kill");

        client.Kill(); // SIGKILL: no chance to write anything more
        await client.WaitForExitAsync();
        Assert.Equal(RunStatus.Running, RunManifest.Read(folder).Status); // as the killed client left it

        var report = Lab.Client.Reports.ReportWriter.Write(folder);
        Assert.Equal(RunStatus.Incomplete, report.Run.Status);
        Assert.Contains(report.Run.Reasons, r => r.Contains($"client process {client.Id}", StringComparison.Ordinal) && r.Contains("is gone", StringComparison.Ordinal));
        var aborted = report.Variants.Single().Median("count.aborted");
        Assert.True(aborted >= 10, $"{aborted} requests in flight at the kill were recovered from the journal; about 40 were in flight");
        Assert.Contains("Incomplete run", File.ReadAllText(Path.Combine(folder, "report.html")), StringComparison.Ordinal);
        Assert.True(await Processes.GoneWithinAsync(Processes.Pids(run), TimeSpan.FromSeconds(15)), "orphaned lab-server processes survived their client");
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_its_variant_with_the_url_and_still_gets_a_report()
    {
        // A socket that accepts connections and never answers.
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        silent.Listen(16);
        var url = new Uri($"http://{silent.LocalEndPoint}/");
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, TwoVariants.Replace("client: { drainS: 10 }", "client: { drainS: 1, timeoutS: 1 }", StringComparison.Ordinal)));
        var options = new RunOptions { ResultsRoot = Path.Combine(dir, "results"), ServerUrl = url, BackendUrl = url };

        var result = await new Orchestrator(options, new PlainProgress(TextWriter.Null)).RunAsync(scenario, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.False(result.Complete);
        var final = RunManifest.Read(result.Folder);
        Assert.All(final.Variants, v => Assert.Equal("failed", v.Status));
        Assert.Contains($"GET {url}lab/info got no answer within 7 s", final.Variants[0].Reason, StringComparison.Ordinal);
        Lab.Client.Reports.ReportWriter.Write(result.Folder);
        Assert.True(File.Exists(Path.Combine(result.Folder, "report.html")));
    }

    [Fact]
    public async Task Ctrl_C_stops_the_run_marks_it_interrupted_and_stops_every_server()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, Long);
        using var client = Processes.StartClient("run", scenario, "--out", Path.Combine(dir, "results"), "--progress", "plain");
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        var (folder, run) = await Processes.WaitForRunningAsync(Path.Combine(dir, "results"), TimeSpan.FromSeconds(60));
        Assert.True(await Processes.RecordedAsync(folder, 10, TimeSpan.FromSeconds(30)), "no requests were recorded before Ctrl+C");

        var signalled = DateTime.UtcNow;
        // SIGINT is what Ctrl+C sends; where the test itself runs with SIGINT ignored (a background job), the client
        // inherited that and only SIGTERM, the same cancellation in the lab, can reach it.
        Processes.Signal(client.Id, Processes.IgnoresSigInt(client.Id) ? "TERM" : "INT");
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));

        Assert.True(client.ExitCode == 1, $"exit {client.ExitCode} {(DateTime.UtcNow - signalled).TotalSeconds:0.0} s after SIGINT\n{await stdout}\n{await stderr}");
        var final = RunManifest.Read(folder);
        Assert.Equal(RunStatus.Incomplete, final.Status);
        Assert.Contains(final.Reasons.Concat(final.Variants.Select(v => v.Reason ?? "")), r => r.Contains("interrupted", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(folder, "report.html")), "an interrupted run still gets its report");
        Assert.True(await Processes.GoneWithinAsync(Processes.Pids(run), TimeSpan.FromSeconds(10)), "a lab-server process outlived Ctrl+C");
    }

    [Fact]
    public async Task Servers_stop_by_themselves_when_the_client_is_killed()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, Long);
        using var client = Processes.StartClient("run", scenario, "--out", Path.Combine(dir, "results"), "--progress", "none");
        _ = client.StandardOutput.ReadToEndAsync();
        _ = client.StandardError.ReadToEndAsync();
        var (_, run) = await Processes.WaitForRunningAsync(Path.Combine(dir, "results"), TimeSpan.FromSeconds(60));

        client.Kill(); // SIGKILL: the client gets no chance to clean up
        await client.WaitForExitAsync();

        var pids = Processes.Pids(run).ToArray();
        Assert.Equal(2, pids.Length);
        Assert.True(await Processes.GoneWithinAsync(pids, TimeSpan.FromSeconds(15)), "orphaned lab-server processes survived their client");
    }

    [Fact]
    public async Task Remote_mode_drives_servers_started_by_hand_and_pulls_their_samples()
    {
        var ready = TimeSpan.FromSeconds(60);
        await using var backend = await LabServerProcess.StartAsync("backend", [], ready, CancellationToken.None);
        await using var server = await LabServerProcess.StartAsync("server", [new("BackendUrl", backend.Url.ToString())], ready, CancellationToken.None);
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, TwoVariants));
        var options = new RunOptions { ResultsRoot = Path.Combine(dir, "results"), ServerUrl = server.Url, BackendUrl = backend.Url };

        var result = await new Orchestrator(options, new PlainProgress(TextWriter.Null)).RunAsync(scenario, CancellationToken.None);

        Assert.True(result.Complete, string.Join("; ", result.Reasons));
        var run = RunManifest.Read(result.Folder);
        Assert.Equal("remote", run.Mode);
        Assert.Equal(server.Url.ToString(), run.Variants[0].Server.Url);
        var samples = File.ReadAllLines(Path.Combine(result.Folder, "samples-async.jsonl"));
        Assert.True(samples.Length >= 10, $"pulled {samples.Length} samples");
        var seqs = samples.Select(l => (long)JsonNode.Parse(l)!["seq"]!).ToArray();
        Assert.Equal(seqs.Distinct().Count(), seqs.Length);
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task Validate_lists_every_error_and_fails_while_good_files_pass()
    {
        var dir = Processes.NewFolder();
        var good = Processes.WriteScenario(dir, TwoVariants);
        var bad = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(bad, TwoVariants.Replace("ratePerS: 20", "ratePerS: lots", StringComparison.Ordinal).Replace("name: async", "name: sync", StringComparison.Ordinal));
        using var client = Processes.StartClient("validate", good, bad);
        var stdout = await client.StandardOutput.ReadToEndAsync();
        var stderr = await client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync();

        Assert.Equal(2, client.ExitCode);
        Assert.Contains("ok   " + good, stdout, StringComparison.Ordinal);
        Assert.Contains("load.phases[0].inject.ratePerS: found \"lots\"", stderr, StringComparison.Ordinal);
        Assert.Contains("variants[1].name: found \"sync\" a second time", stderr, StringComparison.Ordinal);
        Assert.Contains("2 error(s).", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_loopback_targets_need_allow_remote()
    {
        using var client = Processes.StartClient("run", "x.yaml", "--server-url", "http://192.0.2.10:5100");
        var stderr = await client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync();
        Assert.Equal(2, client.ExitCode);
        Assert.Contains("--allow-remote", stderr, StringComparison.Ordinal);
    }
}
