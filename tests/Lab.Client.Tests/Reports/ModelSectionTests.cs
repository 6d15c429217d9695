using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>The queueing model beside the measurement in a run's report, for variants that declare model:.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ModelSectionTests
{
    [Fact]
    public void A_variant_with_a_model_gets_its_prediction_beside_its_measurement_in_the_table_and_the_charts()
    {
        var folder = FixtureRun.Create(slowModel: "{ style: blocking, delayMs: delayMs }");
        var report = RunReport.Build(folder);
        var model = Assert.Single(ModelSection.For(report, 0.5));
        Assert.Equal(("slow", "blocking", 500.0), (model.Variant, model.Style, model.DelayMs));
        // 10 requests/s for 2 s over 500 ms with the fixture's 2 threads at the start: the pool serves 4/s, so the
        // backlog grows; every one is answered within the 30 s timeout.
        var goodput = model.Rows.Single(r => r.Metric == "throughput.mean");
        Assert.Equal(report.Variants.Single(v => v.Name == "slow").Median("throughput.mean"), goodput.Measured);
        Assert.InRange(goodput.Predicted, 1, 10);
        Assert.Equal(0, model.Rows.Single(r => r.Metric == "share.timeout").Predicted);
        Assert.Contains("measured in this run", model.InjectionSource, StringComparison.Ordinal);
        Assert.NotEmpty(model.Predicted.Series);
        Assert.Equal(20, model.Predicted.Series.Sum(p => p.OkPerS * 0.5), 6);

        var charts = ChartSet.For(report);
        var throughput = Assert.Single(charts, c => c.Id == "model-throughput");
        Assert.Equal(["slow measured", "slow model"], throughput.Series.Select(s => s.Label));
        Assert.Contains(charts, c => c.Id == "model-threads");
        Assert.Contains("## The model beside the measurement", MarkdownSummaryWriter.Write(report, charts), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_model_sections_the_report_has_no_model_part()
    {
        var report = RunReport.Build(FixtureRun.Create());
        Assert.Empty(ModelSection.For(report));
        Assert.DoesNotContain(ChartSet.For(report), c => c.Id.StartsWith("model-", StringComparison.Ordinal));
        Assert.Equal("", ModelSection.Markdown([]));
    }
}
