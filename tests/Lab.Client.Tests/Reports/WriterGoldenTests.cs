using Lab.Testing;
using Lab.Client.Reports;

namespace Lab.Client.Tests.Reports;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class WriterGoldenTests
{
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
    [InlineData(0, "0")]
    [InlineData(0.25, "0.25")]
    [InlineData(7.5, "7.5")]
    [InlineData(1500, "1500")]
    [InlineData(25_000, "25000")]
    [InlineData(267.5, "267.5")]
    [InlineData(2_500_000, "2500000")]
    public void Tick_labels_are_plain_invariant_numbers_never_k(double v, string expected)
    {
        Assert.Equal(expected, ChartRenderer.Num(v));
    }
}
