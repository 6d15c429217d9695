using Lab.Client.Analysis;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Client.Tests.Runs;

/// <summary>A real run explains itself: the pool's events say why it grew, and a stack snapshot says where its threads waited.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class WhyThePoolGrewTests(ITestOutputHelper output)
{
    // Sixty requests blocked in GetResult within two seconds on a 1 s backend, the pool at its default minimum: the
    // queue grows to dozens, and the blocked waits make the pool compensate.
    private const string SyncOverAsyncBurst = """
        name: why
        description: a sync-over-async burst on a cold pool
        claims: [C10]
        load:
          model: open
          phases:
            - inject: { ratePerS: 30, durationS: 2 }
            - pause: { durationS: 1 }
        variants:
          - name: blocked
            endpoint: /sync-over-async?delayMs=1000&items=1
            server: { poolEvents: waits }
        checks:
          - blocked.injections.cooperativeBlocking > 0
          - blocked.stacks.topShare > 0
        client: { timeoutS: 60, drainS: 60, stackSnapshots: 3 }
        """;

    [Fact]
    public async Task A_sync_over_async_burst_records_cooperative_blocking_injections_and_a_snapshot_naming_the_blocking_frame()
    {
        var dir = Processes.NewFolder();
        var scenario = ScenarioLoader.Load(Processes.WriteScenario(dir, SyncOverAsyncBurst));
        var orchestrator = new Orchestrator(new RunOptions { ResultsRoot = Path.Combine(dir, "results") }, new PlainProgress(TextWriter.Null));
        var result = await orchestrator.RunAsync(scenario, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(result.Complete, string.Join("; ", result.Reasons));

        var run = RunData.Load(result.Folder);
        var variant = Assert.Single(run.Runs);
        Assert.Equal("events-blocked.jsonl", variant.Run.Server.EventsFile);
        Assert.Equal("events-backend.jsonl", run.Manifest.Backend!.EventsFile);
        Assert.NotNull(variant.Events);

        var span = Analyzer.SpanS(run, scenario.Client);
        var analysis = Analyzer.Analyze(result.Folder, variant, Analyzer.ChooseBucketS(span), scenario.Client, span);
        var m = analysis.Summary.Metrics;
        output.WriteLine(string.Join(", ", m.Where(kv => kv.Key.StartsWith("injections.", StringComparison.Ordinal) || kv.Key.StartsWith("workers.", StringComparison.Ordinal) || kv.Key.StartsWith("stacks.", StringComparison.Ordinal)).Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.True(m["injections.cooperativeBlocking"] > 0, "no thread was added for the blocked waits");
        Assert.Equal(m["injections.total"], Analysis.Analyzer.InjectionStats.Skip(1).Sum(r => m[$"injections.{r}"]));
        Assert.True(m["workers.blockedMax"] > 0);
        // The intervals cover the whole record; injections.* is the load window only (the blocked waits go on into the drain).
        Assert.Equal(m["run.injections.cooperativeBlocking"], analysis.Intervals.Sum(r => r.Injections.GetValueOrDefault("cooperativeBlocking")));

        // The snapshot names the blocking call and the endpoint that made it.
        var stacks = variant.Stacks;
        Assert.NotNull(stacks);
        Assert.Equal("stacks-blocked.json", variant.Run.Server.StacksFile);
        output.WriteLine($"snapshot at queue {stacks.QueueLength}, {stacks.Threads} threads, paused {stacks.PauseMs} ms: " +
            string.Join(" | ", stacks.Headlines.Take(4).Select(h => $"{h.Count} × {h.Headline}")));
        Assert.True(stacks.QueueLength >= 8);
        Assert.InRange(stacks.Attempts.Count, 1, 3);
        var top = stacks.Headlines[0];
        // The blocking call (GetResult, or the awaiter's slow path it calls) and the server's own code that made it: the
        // endpoint's lambda, or, once dynamic PGO has inlined the lambda into its caller, ServerContext.Run.
        Assert.Matches("GetResult|HandleNonSuccess|Task.Wait|InternalWait", top.Headline);
        Assert.Matches(@"ServerEndpoints\.SyncOverAsync|ServerContext\.Run", top.Headline);
        var group = stacks.Groups.First(g => g.Headline == top.Headline);
        Assert.Contains(group.Frames, f => f.EndsWith("Monitor.Wait", StringComparison.Ordinal));
        Assert.True(m["stacks.topShare"] > 0.3, $"the blocked endpoint held {m["stacks.topShare"]:P0} of the threads");

        // The report says it: injection bars by reason on the threads chart, the stacks chart and table, the summary's count.
        var report = ReportWriter.Write(result.Folder);
        var charts = ChartSet.For(report);
        Assert.Contains(charts.Single(c => c.Id == "threads").Series, s => s.Kind == SeriesKind.Bars && s.Label == "blocked threads added: cooperative blocking");
        var chart = charts.Single(c => c.Id == ChartSet.StacksId);
        Assert.StartsWith(chart.Categories![0].TrimEnd('…'), top.Headline, StringComparison.Ordinal); // cut to fit when long
        Assert.True(File.Exists(Path.Combine(result.Folder, "stacks.png")) && File.Exists(Path.Combine(result.Folder, "stacks.svg")));
        var summary = File.ReadAllText(Path.Combine(result.Folder, "summary.md"));
        Assert.Contains($"- **blocked**: {PoolText.Injections(report.Variants[0])}", summary, StringComparison.Ordinal);
        Assert.Contains("cooperative blocking", PoolText.Injections(report.Variants[0]), StringComparison.Ordinal);
        Assert.Contains(top.Headline, summary, StringComparison.Ordinal);
    }
}
