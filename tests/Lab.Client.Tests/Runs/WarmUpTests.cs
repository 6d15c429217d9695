using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// The warm-up before each variant's load: bounded by the client's own timeout, not a fixed minute, and a warm-up
/// that gets no answer fails its variant with the reason in run.json and a report, never an uncaught cancellation.
/// Small delays and timeouts through parameters keep each run to seconds.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class WarmUpTests
{
    private const string Slow = """
        name: slow-warm-up
        description: one variant over a backend of {delayMs} ms under a client timeout of {timeoutS} s
        claims: [C1]
        params:
          delayMs: 3000
          timeoutS: 5
        load:
          model: open
          phases:
            - inject: { ratePerS: 4, durationS: 1 }
        variants:
          - name: slow
            endpoint: /async?delayMs={delayMs}
        client: { timeoutS: timeoutS, drainS: timeoutS, warmupRequests: 2 }
        """;

    [Theory]
    [InlineData(0.5)]
    [InlineData(120)]
    [InlineData(3_600)]
    public void The_warm_up_waits_longer_than_a_request_may_take(double timeoutS)
    {
        // A fixed bound of a minute failed /async?delayMs=60000 under timeoutS: 120, which the load itself would wait for.
        Assert.True(Orchestrator.WarmUpBound(new ClientOptions { TimeoutS = timeoutS }) > TimeSpan.FromSeconds(timeoutS));
    }

    [Fact]
    public async Task A_warm_up_that_takes_most_of_the_timeout_is_waited_for_and_the_variant_completes()
    {
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, Slow));
        var messages = new StringWriter();
        var result = await new Orchestrator(new RunOptions { ResultsRoot = Path.Combine(dir, "results") }, new PlainProgress(TextWriter.Synchronized(messages)))
            .RunAsync(scenario, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.Complete, string.Join("; ", result.Reasons) + "\n" + messages);
        var variant = Assert.Single(RunManifest.Read(result.Folder).Variants);
        Assert.Equal("complete", variant.Status);
        Assert.Equal(4, variant.Outcomes["ok"]);
        // It said why it was quiet, with the bound worked out from the timeout.
        Assert.Contains($"waiting up to {Orchestrator.WarmUpBound(scenario.Client).TotalSeconds:0.#} s", messages.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_warm_up_that_gets_no_answer_in_time_fails_its_variant_with_the_reason_and_the_run_still_gets_a_report()
    {
        // The backend takes longer than the warm-up may wait (twice a half-second timeout plus 5 s): no answer at all.
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, Slow);
        using var client = Processes.StartClient("run", scenario, "--out", Path.Combine(dir, "results"), "--progress", "plain",
            "--set", "timeoutS=0.5", "--set", "delayMs=7000");
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var output = $"{await stdout}\n{await stderr}";
        Assert.True(client.ExitCode == 1, $"exit {client.ExitCode}\n{output}");
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(dir, "results")));
        var run = RunManifest.Read(folder);
        Assert.Equal(RunStatus.Incomplete, run.Status);
        var variant = Assert.Single(run.Variants);
        Assert.Equal("failed", variant.Status);
        Assert.Contains("warm-up failed: no answer within 6 s (twice the client timeout, plus 5 s)", variant.Reason, StringComparison.Ordinal);
        Assert.Contains("/async?delayMs=7000", variant.Reason, StringComparison.Ordinal);
        Assert.Contains("warm-up failed", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")), "a run whose warm-up failed still gets its report");
        Assert.Contains("warm-up failed", File.ReadAllText(Path.Combine(folder, "summary.md")), StringComparison.Ordinal);
        Assert.True(await Processes.GoneWithinAsync(Processes.Pids(run), TimeSpan.FromSeconds(15)), "a lab-server process outlived the run");
    }
}
