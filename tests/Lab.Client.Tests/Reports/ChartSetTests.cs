using Lab.Client.Analysis;
using Lab.Client.Load;
using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>The charts of a run, by what they contain: series, points, markers, units, bands (no drawing involved).</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ChartSetTests
{
    private static IReadOnlyList<ChartSpec> Charts(string? folder = null) => ChartSet.For(RunReport.Build(folder ?? FixtureRun.Create()));

    private static ChartSpec Chart(IReadOnlyList<ChartSpec> charts, string id) => charts.Single(c => c.Id == id);

    private static Series Named(ChartSpec chart, string label) => chart.Series.Single(s => s.Label == label);

    /// <summary>The fixture with a 5 s client timeout and five slow requests that timed out (sent 1.05–1.45 s, ended 6.05–6.45 s).</summary>
    private static string WithTimeouts() => FixtureRun.Create(client: "{ drainS: 5, timeoutS: 5 }", extraRequests: Enumerable.Range(0, 5).Select(k =>
    {
        var intended = 1050.0 + k * 100;
        return new RequestRecord("slow", 1, 0, 100 + k, "/sync?delayMs=500", intended, intended + 0.5, intended + 0.5 + 5000, 0, Outcome.Timeout, 0);
    }));

    [Fact]
    public void A_run_has_every_chart_once_with_ids_a_page_can_link()
    {
        var ids = Charts().Select(c => c.Id).ToList();
        Assert.Equal(
            ["throughput", "outcomes-slow", "outcomes-fast", "latency", "requests-slow", "requests-fast", "threads", "queues", "memory", "memory-virtual", "spectrum"],
            ids);
        Assert.All(ids, id => Assert.Matches("^[a-z0-9-]+$", id));
    }

    [Fact]
    public void Rates_are_per_second_at_each_intervals_middle()
    {
        // 0.1 s intervals for a 5 s record: fast's answers (50 ms after each arrival, every 100 ms) are one per interval, 10/s.
        var fast = Named(Chart(Charts(), "throughput"), "fast 2xx");
        Assert.Equal(0.05, fast.Points[0].X, 9);
        Assert.Equal(0.15, fast.Points[1].X, 9);
        Assert.Equal(10, fast.Points.Single(p => Math.Abs(p.X - 0.15) < 1e-9).Y, 9);
        Assert.Equal(0, fast.Points.Single(p => Math.Abs(p.X - 0.75) < 1e-9).Y, 9); // 0.7–0.8 s: the 503
    }

    [Fact]
    public void Every_finite_latency_point_is_visible_even_isolated_between_gaps()
    {
        // slow answers every 200 ms in 100 ms intervals: each p99 point stands alone between two empty intervals.
        var p99 = Named(Chart(Charts(), "latency"), "slow p99");
        var finite = p99.Finite.ToList();
        Assert.Equal(20, finite.Count);
        Assert.Equal(finite, p99.MarkedPoints());
        Assert.InRange(finite[0].Y, 495, 510); // 500 ms, to the per-interval histogram's two digits
    }

    [Fact]
    public void A_dense_line_marks_only_its_isolated_points()
    {
        var points = Enumerable.Range(0, 60).Select(i => (X: i * 0.1, Y: i is 30 or (> 40 and < 45) ? double.NaN : (double)i)).ToList();
        points[10] = (1.0, double.NaN);
        points[12] = (1.2, double.NaN); // 11 now stands alone
        var line = new Series("p99", points, "#1f77b4");
        Assert.Equal([(1.1, 11.0)], line.MarkedPoints());

        // Two points between gaps draw a dash at most: both get markers too.
        var pair = Enumerable.Range(0, 60).Select(i => (X: (double)i, Y: i is 10 or 13 ? double.NaN : i)).ToList();
        Assert.Equal([(11.0, 11.0), (12.0, 12.0)], new Series("p99", pair, "#1f77b4").MarkedPoints());
        Assert.Equal(points.Count(p => double.IsFinite(p.Y)), (line with { MarkAll = true }).MarkedPoints().Count);
        Assert.Equal(3, new Series("sparse", [(0, 1), (1, 2), (2, 3)], "#000").MarkedPoints().Count);
    }

    [Fact]
    public void Client_timeouts_are_crosses_at_the_timeout_and_never_a_latency()
    {
        var charts = Charts(WithTimeouts());
        var latency = Chart(charts, "latency");
        Assert.All(latency.Series.Where(s => s.Kind == SeriesKind.Line).SelectMany(s => s.Finite), p => Assert.True(p.Y < 5000, $"{p.Y} ms drawn as a latency"));
        var timeouts = Named(latency, "slow client timeouts");
        Assert.Equal((SeriesKind.Points, MarkerKind.Cross), (timeouts.Kind, timeouts.Marker));
        Assert.All(timeouts.Points, p => Assert.Equal(5000, p.Y));
        Assert.Equal([6.05, 6.15, 6.25, 6.35, 6.45], timeouts.Points.Select(p => Math.Round(p.X, 2)));
        Assert.Contains(latency.References!, r => r.Y == 5000 && r.Label == "client timeout (5 s)");

        var outcomes = Named(Chart(charts, "outcomes-slow"), "client timeouts");
        Assert.True(outcomes.MarkAll);
        Assert.Equal(MarkerKind.Cross, outcomes.Marker);
        Assert.Equal(5, outcomes.Finite.Count());
    }

    [Fact]
    public void Without_timeouts_the_latency_chart_has_no_timeout_marks()
    {
        var latency = Chart(Charts(), "latency");
        Assert.DoesNotContain(latency.Series, s => s.Marker == MarkerKind.Cross);
        Assert.Empty(latency.References!);
    }

    [Fact]
    public void The_drain_after_the_last_arrival_is_set_apart_from_the_load_phases()
    {
        foreach (var chart in Charts().Where(c => c.XAxis == XAxisKind.Seconds && c.Id != "spectrum"))
        {
            Assert.Equal(2, chart.DrainFromS); // inject 2 s, then a pause: the last arrival is at 2 s
            Assert.Equal(4.4, chart.EndS!.Value, 9); // slow's last answer ends at 4.3 s, in the interval 4.3–4.4 s
        }

        var throughput = Chart(Charts(), "throughput");
        var labels = ChartRenderer.PhaseLabelsOf(throughput, 0, 4.4).Select(l => l.Text).ToList();
        Assert.Equal(["inject 10/s", "drain (after the last arrival)"], labels);
    }

    [Fact]
    public void Outstanding_at_the_client_is_charted_next_to_in_flight_in_the_server()
    {
        var queues = Chart(Charts(), "queues");
        foreach (var v in new[] { "slow", "fast" })
        {
            Assert.Contains(queues.Series, s => s.Label == $"{v} outstanding at the client" && s.Style == LineStyle.Solid);
            Assert.Contains(queues.Series, s => s.Label == $"{v} in flight in the server");
            Assert.Contains(queues.Series, s => s.Label == $"{v} pool queue");
        }

        // No limiter queued anything: no limiter lines to hide the others.
        Assert.DoesNotContain(queues.Series, s => s.Label.EndsWith("limiter queue", StringComparison.Ordinal));
        Assert.True(Named(queues, "slow outstanding at the client").Finite.Max(p => p.Y) >= 10);
    }

    [Theory]
    [InlineData(267_739, 1024, "GB")]
    [InlineData(10_000, 1024, "GB")]
    [InlineData(9_999, 1, "MB")]
    [InlineData(185, 1, "MB")]
    public void Memory_is_in_GB_where_values_are_large(double maxMb, double perMb, string unit)
    {
        Assert.Equal((perMb, unit), ChartSet.MemoryUnit(maxMb));
    }

    [Fact]
    public void The_virtual_memory_axis_spans_the_data_instead_of_starting_at_zero()
    {
        var chart = Chart(Charts(), "memory-virtual");
        Assert.False(chart.YFromZero);
        Assert.Equal("MB", chart.YLabel); // the fixture's ~1,000 MB
        var (low, high) = ChartRenderer.YRange(chart);
        var values = chart.Drawable.Select(p => p.Y).ToList();
        Assert.True(low > 900 && low < values.Min(), $"axis from {low}");
        Assert.True(high > values.Max() && high < 1200, $"axis to {high}");
        Assert.Contains("not at zero", chart.Caption, StringComparison.Ordinal);

        // 267 GB of reservation moving by 20 MB: a GB axis around the data, not 0–300k.
        var gc = chart with { YLabel = "GB", Series = [new Series("sync virtual", [(0, 261.45), (1, 261.47)], "#1f77b4")] };
        var (gLow, gHigh) = ChartRenderer.YRange(gc);
        Assert.InRange(gLow, 259, 261.45);
        Assert.InRange(gHigh, 261.47, 263);
    }

    [Fact]
    public void The_same_offered_load_for_every_variant_is_one_line_and_different_ones_stay_apart()
    {
        var a = new Series("a offered", [(0.05, 10), (0.15, 10), (0.25, 0)], "#1f77b4");
        Assert.True(ChartSet.SameLine(a, a with { Label = "b offered", Points = [(0.05, 10), (0.15, 10)] }));
        Assert.False(ChartSet.SameLine(a, a with { Points = [(0.05, 10), (0.15, 20)] }));

        // The fixture's fast variant had one more arrival (dropped at the cap): two offered lines, thinner for the second.
        var throughput = Chart(Charts(), "throughput");
        var (slow, fast) = (Named(throughput, "slow offered"), Named(throughput, "fast offered"));
        Assert.True(slow.Width > fast.Width);
        Assert.NotEqual(slow.Color, fast.Color);
    }

    [Fact]
    public void Overlapping_lines_stay_distinguishable_by_width_tint_and_dash()
    {
        var latency = Chart(Charts(), "latency");
        var (p99, p50) = (Named(latency, "fast p99"), Named(latency, "fast p50"));
        Assert.Equal(LineStyle.Dashed, p50.Style);
        Assert.True(p50.Width < p99.Width);
        Assert.NotEqual(p99.Color, p50.Color);
        Assert.Equal(Palette.Secondary(Palette.Variant(1)), p50.Color);
        Assert.True(Named(latency, "slow p99").Width > p99.Width, "the second variant is drawn thinner, inside the first");
    }

    [Fact]
    public void Many_variants_and_metrics_get_a_legend_of_colours_and_line_styles()
    {
        var report = RunReport.Build(FixtureRun.Create());
        var v = report.Variants;
        Series S(string label, int variant, LineStyle style) => new(label, [(0, 1)], Palette.Variant(variant), style);
        var few = new ChartSpec("queues", "t", "x", "y", [S("slow a", 0, LineStyle.Solid), S("slow b", 0, LineStyle.Dashed)], []);
        Assert.Null(ChartSet.Factored(few, v, [("a", LineStyle.Solid), ("b", LineStyle.Dashed)]).Legend);

        var many = few with { Series = [.. Enumerable.Range(0, 9).Select(i => S($"s{i}", i % 2, (LineStyle)(i % 4)))], References = [new ReferenceLine(2, "min threads (2)", Palette.Offered)] };
        var legend = ChartSet.Factored(many, v, [("outstanding at the client", LineStyle.Solid), ("pool queue", LineStyle.Dashed)]).Legend!;
        Assert.Equal(["slow", "fast", "outstanding at the client", "pool queue", "min threads (2)"], legend.Select(e => e.Label));
        Assert.Equal([Palette.Variant(0), Palette.Variant(1), Palette.Key, Palette.Key, Palette.Offered], legend.Select(e => e.Color));
        Assert.Equal(LineStyle.Dashed, legend[3].Style);

        var texts = new SvgContent(ChartRenderer.Svg(ChartSet.Factored(many, v, [("outstanding at the client", LineStyle.Solid), ("pool queue", LineStyle.Dashed)]))).Texts;
        Assert.Contains("pool queue", texts);
        Assert.DoesNotContain("s3", texts);
    }

    [Fact]
    public void Identical_minimum_threads_are_one_reference_line()
    {
        var threads = Chart(Charts(), "threads");
        var min = Assert.Single(threads.References!);
        Assert.Equal((2.0, "min threads (2), every variant"), (min.Y, min.Label));
    }
}
