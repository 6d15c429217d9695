using Lab.Testing;
using Lab.Client.Analysis;
using Lab.Client.Reports;

namespace Lab.Client.Tests.Reports;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class WriterGoldenTests
{
    private static readonly PhaseBand[] s_bands = [new(0, "inject 200/s", 0, 10, false), new(1, "pause", 10, 15, true)];

    [Fact]
    public void A_linear_time_chart_matches_its_golden_file()
    {
        var spec = new ChartSpec("threads", "Thread-pool threads", "time since load start (s)", "threads",
        [
            new Series("sync pool", [(0.5, 2), (1.5, 3), (2.5, double.NaN), (3.5, 12), (4.5, 19.5)], Palette.Variant(0)),
            new Series("async pool", [(0.5, 2), (1.5, 3), (2.5, 3), (3.5, 3)], Palette.Variant(1), LineStyle.Dashed),
        ], s_bands, References: [new ReferenceLine(4, "min threads (4)", Palette.Variant(0))], Caption: "dotted: configured minimum");
        var svg = SvgChart.Render(spec);
        SvgChart.Validate(svg);
        Golden.Match("chart-linear.svg", svg);
    }

    [Fact]
    public void A_log_scale_chart_matches_its_golden_file()
    {
        var spec = new ChartSpec("latency", "Latency p99 <per second> & more", "time since load start (s)", "ms (log scale)",
        [
            new Series("sync p99", [(0.5, 510), (1.5, 4200), (2.5, 30_000)], Palette.Variant(0)),
            new Series("async p99", [(0.5, 505), (1.5, 0), (2.5, 507)], Palette.Variant(1)),
        ], s_bands, LogY: true);
        var svg = SvgChart.Render(spec);
        SvgChart.Validate(svg);
        Golden.Match("chart-log.svg", svg);
    }

    [Fact]
    public void The_markdown_summary_matches_its_golden_file()
    {
        var report = RunReport.Build(FixtureRun.Create());
        Golden.Match("summary.md", MarkdownSummaryWriter.Write(report, ChartSet.For(report)));
    }

    [Fact]
    public void The_time_series_csv_matches_its_golden_file()
    {
        Golden.Match("timeseries.csv", TimeSeriesCsvWriter.Write(RunReport.Build(FixtureRun.Create())));
    }

    [Theory]
    [InlineData(0, 10, new double[] { 0, 2, 4, 6, 8, 10 })]
    [InlineData(0, 7, new double[] { 0, 2, 4, 6, 8 })]
    [InlineData(0, 237, new double[] { 0, 50, 100, 150, 200, 250 })]
    [InlineData(0, 0.9, new double[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    [InlineData(0, 0, new double[] { 0, 0.2, 0.4, 0.6, 0.8, 1 })]
    public void Axis_ticks_are_round_and_cover_the_data(double min, double max, double[] expected)
    {
        Assert.Equal(expected, SvgChart.NiceTicks(min, max));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.25, "0.25")]
    [InlineData(7.5, "7.5")]
    [InlineData(1500, "1500")]
    [InlineData(25_000, "25k")]
    [InlineData(2_500_000, "2.5M")]
    public void Tick_labels_are_compact(double v, string expected)
    {
        Assert.Equal(expected, SvgChart.Num(v));
    }
}
