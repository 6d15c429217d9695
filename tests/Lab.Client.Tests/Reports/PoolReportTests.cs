using Lab.Client.Claims;
using Lab.Client.Reports;
using Lab.Client.Scenarios;
using Lab.Testing;
using SP = ScottPlot;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// Why the pool grew and where its threads were, as a report shows them: the injection bars on the threads chart, the
/// stack snapshot's chart and table, the summary's words and the claims page's link — all from the fixture's events
/// (slow: two threads for cooperative blocking at 1.1 and 1.3 s, one for starvation at 2.2 s; fast: none) and
/// slow's snapshot (6 threads blocked in sync-over-async, 2 idle workers, the timer thread).
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class PoolReportTests
{
    private static readonly Lazy<string> s_folder = new(() => FixtureRun.Create(poolEvents: true));

    private static RunReport Report() => RunReport.Build(s_folder.Value);

    private static ChartSpec Chart(string id) => ChartSet.For(Report()).Single(c => c.Id == id);

    [Fact]
    public void The_threads_chart_stacks_the_threads_added_in_each_interval_by_reason()
    {
        var threads = Chart("threads");
        var bars = threads.Series.Where(s => s.Kind == SeriesKind.Bars).ToList();
        Assert.Equal(["slow threads added: cooperative blocking", "slow threads added: starvation"], bars.Select(b => b.Label));
        Assert.Equal([Palette.Reason("cooperativeBlocking"), Palette.Reason("starvation")], bars.Select(b => b.Color));

        // Per second: both cooperative-blocking threads (1.1 and 1.3 s) in one bar for 1–2 s, the starvation one for 2–3 s.
        // fast has events too (it added none): the two variants share each second, slow on the left half.
        var blocking = Assert.Single(bars[0].Finite);
        Assert.Equal(2, blocking.Y);
        Assert.InRange(blocking.X, 1.0, 1.5);
        Assert.Equal(0, bars[0].Bases![bars[0].Points.ToList().IndexOf(blocking)]);
        var starvation = Assert.Single(bars[1].Finite);
        Assert.Equal(1, starvation.Y);
        Assert.InRange(starvation.X, 2.0, 2.5);
        Assert.Equal(Palette.Variant(0), bars[0].Outline);

        // The legend names each reason once, by colour, beside the variants' lines.
        Assert.NotNull(threads.Legend);
        Assert.Contains(threads.Legend!, e => e.Label == "added: cooperative blocking" && e.Color == Palette.Reason("cooperativeBlocking") && e.Marker == MarkerKind.Square);
        Assert.Contains(threads.Legend!, e => e.Label == "added: starvation");
        Assert.Contains("stacked by the runtime's reason", threads.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_pool_events_has_no_bars_and_no_stacks_chart()
    {
        var charts = ChartSet.For(RunReport.Build(FixtureRun.Create()));
        Assert.DoesNotContain(charts.Single(c => c.Id == "threads").Series, s => s.Kind == SeriesKind.Bars);
        Assert.DoesNotContain(charts, c => c.Id == ChartSet.StacksId);
    }

    [Fact]
    public void The_stacks_chart_has_a_bar_per_place_of_each_variant_with_a_snapshot()
    {
        var stacks = Chart(ChartSet.StacksId);
        Assert.Equal([FixtureRun.BlockedHeadline, FixtureRun.IdleHeadline, FixtureRun.TimerHeadline], stacks.Categories);
        var bars = Assert.Single(stacks.Series);
        Assert.Equal("slow: 9 managed threads", bars.Label);
        Assert.Equal(SeriesKind.Bars, bars.Kind);
        Assert.Equal([6.0, 2.0, 1.0], bars.Points.Select(p => p.X));
        Assert.True(bars.Points[0].Y > bars.Points[1].Y, "the largest place is drawn on top");
        Assert.Contains("slow at 1.5 s, pool queue 30, 8 pool threads, paused 21 ms", stacks.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Places_beyond_the_chart_are_one_bar_and_every_thread_is_counted()
    {
        var snapshot = FixtureRun.SlowStacks(FixtureRun.T0) with
        {
            Headlines = [.. Enumerable.Range(0, ChartSet.MaxPlaces + 3).Select(i => new Lab.Client.Recording.Diagnostics.HeadlineCount($"place {i:00}", 20 - i))],
        };
        var places = ChartSet.StackPlaces([snapshot]);
        Assert.Equal(ChartSet.MaxPlaces + 1, places.Count);
        Assert.Equal(ChartSet.Elsewhere, places[^1]);
        var counts = ChartSet.StackCounts(snapshot, places);
        Assert.Equal(snapshot.Headlines.Sum(h => h.Count), counts.Sum());
        Assert.Equal(12 + 11 + 10, counts[^1]);
    }

    [Fact]
    public void The_stacks_chart_draws_horizontal_bars_and_renders_as_svg_and_png()
    {
        var stacks = Chart(ChartSet.StacksId);
        var plot = ChartRenderer.Build(stacks);
        var bars = Assert.Single(plot.GetPlottables().OfType<SP.Plottables.BarPlot>());
        Assert.All(bars.Bars, b => Assert.Equal(SP.Orientation.Horizontal, b.Orientation));
        Assert.Equal([6.0, 2.0, 1.0], bars.Bars.Select(b => b.Value));
        var svg = ChartRenderer.Svg(stacks);
        ChartRenderer.Validate(svg);
        Assert.Contains("TaskAwaiter.GetResult", svg, StringComparison.Ordinal);
        Assert.NotEmpty(ChartRenderer.Png(stacks));

        var threads = ChartRenderer.Build(Chart("threads"));
        Assert.Equal(2, threads.GetPlottables().OfType<SP.Plottables.BarPlot>().Count());
    }

    [Fact]
    public void The_summary_counts_the_threads_added_by_reason_and_tables_where_the_threads_were()
    {
        var report = Report();
        var pools = PoolSection.For(report);
        Assert.Equal("3 threads added: 2 cooperative blocking, 1 starvation", pools.Single(p => p.Variant == "slow").Injections);
        Assert.Equal("no thread added above the minimum", pools.Single(p => p.Variant == "fast").Injections);

        var md = PoolSection.Markdown(pools);
        Assert.Contains("- **slow**: 3 threads added: 2 cooperative blocking, 1 starvation", md, StringComparison.Ordinal);
        Assert.Contains($"| `{FixtureRun.BlockedHeadline}` | 6 | 67 % |", md, StringComparison.Ordinal);
        Assert.Contains("9 managed threads at 1.5 s, pool queue 30", md, StringComparison.Ordinal);

        var html = PoolSection.Html(pools);
        Assert.Contains("<a href=\"#stacks\">chart</a>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">6</td>", html, StringComparison.Ordinal);

        // Both writers carry the section; a run without events has none.
        var charts = ChartSet.For(report);
        Assert.Contains("## Why the pool grew, and where its threads were", MarkdownSummaryWriter.Write(report, charts), StringComparison.Ordinal);
        Assert.Empty(PoolSection.For(RunReport.Build(FixtureRun.Create())));
    }

    [Fact]
    public void A_stack_agent_that_died_is_named_in_both_writers_with_its_reason()
    {
        var folder = FixtureRun.Create(poolEvents: true);
        var manifest = Lab.Client.Recording.RunManifest.Read(folder);
        const string Why = "stack snapshot agent (pid 4242) died with SIGSEGV while reading process 4241; snapshots stop for this variant; none was taken before";
        manifest.Variants.Single(v => v.Name == "fast").Server.StacksFailure = Why;
        manifest.Save(folder);

        var pools = PoolSection.For(RunReport.Build(folder));
        Assert.Equal([Why], pools.Single(p => p.Variant == "fast").Failures);
        Assert.Empty(pools.Single(p => p.Variant == "slow").Failures);
        Assert.Contains($"> **Stack snapshots of fast:** {Why}", PoolSection.Markdown(pools), StringComparison.Ordinal);
        Assert.Contains("<b>Stack snapshots of fast:</b> stack snapshot agent (pid 4242) died with SIGSEGV", PoolSection.Html(pools), StringComparison.Ordinal);
    }

    [Fact]
    public void The_claims_page_links_the_stacks_chart_for_claims_about_where_threads_wait()
    {
        var report = Report();
        Scenario Scenario(string claim) => new()
        {
            Name = "fixture",
            Description = "",
            Claims = [claim],
            BackendKnobs = new Dictionary<string, string>(),
            ServerKnobs = new Dictionary<string, string>(),
            Variants = [],
            Client = new ClientOptions(),
            Checks = [],
            SourcePath = "fixture.yaml",
            SourceText = "",
            Evidence = new Dictionary<string, ClaimEvidence> { [claim] = new("slow p99 {slow.latency.p99} ms") },
        };

        foreach (var claim in new[] { "C1", "C10", "C12", "C13" })
        {
            var row = ClaimsReport.Rows([(Scenario(claim), report)], "/tmp").Single(r => r.Claim.Id == claim);
            Assert.Contains(row.ChartPaths!, p => p.EndsWith("stacks.png", StringComparison.Ordinal));
            Assert.Contains("report.html#stacks", ClaimsWriters.Markdown([row], "t", "m"), StringComparison.Ordinal);
        }

        var c2 = ClaimsReport.Rows([(Scenario("C2"), report)], "/tmp").Single(r => r.Claim.Id == "C2");
        Assert.DoesNotContain(c2.ChartPaths!, p => p.EndsWith("stacks.png", StringComparison.Ordinal));
    }
}
