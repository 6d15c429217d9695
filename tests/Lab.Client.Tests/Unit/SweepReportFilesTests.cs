using System.Globalization;
using System.Text.Json;
using Lab.Client.Sweeps;
using Lab.Client.Tests.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>
/// A sweep's report files without running anything: a sweep folder whose first cell is the fixture run (its slow variant
/// judged) and whose second is pending, so every number the files show is known or computed from the fixture.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class SweepReportFilesTests
{
    private const string RunFolder = "cells/cell-01/20270115T080000Z-fixture";

    // At twice the rate the constraints hold; at twice the delay both break.
    private static readonly Dictionary<string, double> AtDoubleRate = new()
    {
        ["throughput.mean"] = 150, ["latency.p99"] = 620, ["latencyWithTimeouts.p99"] = 900, ["share.503"] = 0, ["share.timeout"] = 0.02,
    };

    private static readonly Dictionary<string, double> AtDoubleDelay = new()
    {
        ["throughput.mean"] = 40, ["latency.p99"] = 200_000, ["latencyWithTimeouts.p99"] = 200_000, ["share.503"] = 0.6, ["share.timeout"] = 0,
    };

    /// <param name="predicted">The model's prediction for cell-01 at its own load.</param>
    /// <param name="constraints">The objective's constraints (default: two with constant bounds).</param>
    private static string SweepFolder(Dictionary<string, double> predicted, string[]? constraints = null)
    {
        var folder = Directory.CreateTempSubdirectory("lab-sweep-files-").FullName;
        var run = Path.Combine(folder, RunFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(run)!);
        Directory.Move(FixtureRun.Create(), run);
        var spec = new SweepSpec([new SweepAxis("n", null, ["1", "2"])], [],
            new SweepObjective("throughput.mean", true, constraints ?? ["latency.p99 <= 100000", "share.503 <= 0.5"], "slow"), new SweepModelSpec("blocking", "delayMs", "1"), 5);
        new SweepFile
        {
            Scenario = "fixture",
            ScenarioFile = Path.Combine(folder, "fixture.yaml"),
            ScenarioText = "",
            BaseParameters = new Dictionary<string, double> { ["delayMs"] = 500 },
            Spec = spec,
            Overrides = new Dictionary<string, string>(),
            Repeat = 1,
            Status = SweepRunner.Incomplete,
            Cells =
            [
                new SweepCellState { Index = 0, Id = "cell-01", Values = [new("n", "1")], Status = SweepRunner.Complete, Run = RunFolder, Model = new CellModel(predicted, AtDoubleRate, AtDoubleDelay) },
                new SweepCellState { Index = 1, Id = "cell-02", Values = [new("n", "2")] },
            ],
        }.Save(folder);
        return folder;
    }

    [Theory]
    [InlineData("throughput.mean", 120, 100, 0.2)]
    [InlineData("latency.p99", 400, 500, -0.2)]
    [InlineData("threads.max", 9, 12, -0.25)]
    // Near zero the floor is the divisor: 1 % for a share, 1 for the rest.
    [InlineData("share.503", 0.005, 0, 0.5)]
    [InlineData("share.503", 0, 0.002, -0.2)]
    [InlineData("share.503", 0, 0, 0)]
    [InlineData("share.503", 0.3, 0.2, 0.5)]
    [InlineData("latency.p99", 0.5, 0, 0.5)]
    public void The_model_error_is_relative_to_the_measurement_with_a_floor_near_zero(string metric, double predicted, double measured, double expected)
    {
        Assert.Equal(expected, ModelError.Of(metric, predicted, measured), 9);
    }

    [Fact]
    public void A_missing_side_has_no_error()
    {
        Assert.True(double.IsNaN(ModelError.Of("threads.max", double.NaN, 3)));
        Assert.True(double.IsNaN(ModelError.Of("throughput.mean", 3, double.NaN)));
        Assert.Equal("n/a", ModelError.Format(double.NaN));
        Assert.Equal("+50 %", ModelError.Format(0.5));
        Assert.Equal("−12.5 %", ModelError.Format(-0.125));
    }

    [Fact]
    public void Every_file_gives_the_models_error_per_cell_and_the_sweeps_median_and_worst()
    {
        var folder = SweepFolder(new Dictionary<string, double> { ["throughput.mean"] = 3, ["latency.p99"] = 1000, ["share.503"] = 0.005, ["threads.max"] = 9 });
        var report = SweepReport.Build(folder);
        var cell = report.Cells[0];
        Assert.True(cell.Measured);
        Assert.Empty(report.Cells[1].ModelErrors);

        // Each error from the cell's own medians, by the one rule; the 503 share measured 0 is divided by the 1 % floor.
        foreach (var metric in new[] { "throughput.mean", "latency.p99", "threads.max" })
        {
            var measured = cell.Metric("slow", metric);
            Assert.True(measured > 0, metric);
            var e = cell.ModelErrorOf(metric);
            Assert.NotNull(e);
            Assert.Equal((e.Predicted - measured) / measured, e.Error, 9);
        }

        Assert.Equal(0, cell.Metric("slow", "share.503"));
        Assert.Equal(0.5, cell.ModelErrorOf("share.503")!.Error, 9);
        Assert.Null(cell.ModelErrorOf("share.timeout")); // not predicted
        var fit503 = report.Fit.Single(f => f.Metric == "share.503");
        Assert.Equal((1, 0.5, 0.5, "cell-01"), (fit503.Cells, fit503.MedianError, fit503.WorstError, fit503.WorstCell));

        SweepWriters.WriteAll(report);
        var md = File.ReadAllText(Path.Combine(folder, "sweep.md"));
        var threads = ModelError.Format(cell.ModelErrorOf("threads.max")!.Error);
        Assert.Contains("| share.503 measured / model | share.503 error |", md, StringComparison.Ordinal);
        Assert.Contains("| 0 % / 0.5 % | +50 % |", md, StringComparison.Ordinal);
        Assert.Contains($"/ 9 | {threads} |", md, StringComparison.Ordinal);
        Assert.Contains("| share.503 | 1 | 50 % | +50 % | cell-01 (n=1) |", md, StringComparison.Ordinal);
        Assert.Contains("share.503 50 % (worst +50 % in cell-01, n=1)", md, StringComparison.Ordinal);
        Assert.Contains(ModelError.Rule, md, StringComparison.Ordinal);

        var html = File.ReadAllText(Path.Combine(folder, "sweep.html"));
        Assert.Contains("share.503<br>error</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">+50 %</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"num\">{threads}</td>", html, StringComparison.Ordinal);

        var csv = File.ReadAllLines(Path.Combine(folder, "sweep.csv"));
        var header = csv[0].Split(',');
        var slow = csv.Skip(1).Select(l => l.Split(',')).Single(r => r[Array.IndexOf(header, "variant")] == "slow");
        Assert.Equal(0.5, double.Parse(slow[Array.IndexOf(header, "modelError.share.503")], CultureInfo.InvariantCulture), 9);
        Assert.Equal(cell.ModelErrorOf("threads.max")!.Error, double.Parse(slow[Array.IndexOf(header, "modelError.threads.max")], CultureInfo.InvariantCulture), 9);
        var fast = csv.Skip(1).Select(l => l.Split(',')).Single(r => r[Array.IndexOf(header, "variant")] == "fast");
        Assert.Equal("", fast[Array.IndexOf(header, "modelError.share.503")]); // the model is of the judged variant only

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "sweep-report.json")));
        var errors = json.RootElement.GetProperty("cells")[0].GetProperty("modelErrors").EnumerateArray().ToList();
        var share = errors.Single(e => e.GetProperty("metric").GetString() == "share.503");
        Assert.Equal(0.5, share.GetProperty("error").GetDouble(), 9);
        Assert.Equal("cell-01", json.RootElement.GetProperty("fit").EnumerateArray().Single(f => f.GetProperty("metric").GetString() == "share.503").GetProperty("worstCell").GetString());
        Assert.Equal(ModelError.Rule, json.RootElement.GetProperty("modelErrorRule").GetString());
    }

    [Fact]
    public void The_markdown_links_each_measured_cell_to_its_report()
    {
        var folder = SweepFolder(new Dictionary<string, double> { ["throughput.mean"] = 3 });
        SweepWriters.WriteAll(SweepReport.Build(folder));
        var md = File.ReadAllText(Path.Combine(folder, "sweep.md"));
        Assert.Contains($"| [cell-01]({RunFolder}/report.html) ", md, StringComparison.Ordinal);
        Assert.Contains("| cell-02 |", md, StringComparison.Ordinal); // pending: no run, no link
    }

    [Fact]
    public void The_recommendation_prints_what_the_model_predicts_at_twice_the_rate_and_twice_the_delay()
    {
        var report = SweepReport.Build(SweepFolder(new Dictionary<string, double> { ["throughput.mean"] = 3 }));
        var r = report.Recommendation;
        Assert.NotNull(r);
        Assert.Equal("cell-01", r.Id);
        Assert.Equal((true, false), (r.HoldsAtDoubleRate, r.HoldsAtDoubleDelay));
        Assert.Equal(["latency.p99 <= 100000", "share.503 <= 0.5"], r.BreaksAtDoubleDelay);
        var text = SweepWriters.RecommendationText(report);
        Assert.Contains("at twice the arrival rate, goodput 150/s, p99 620 ms (900 ms counting timeouts), 503s 0 %, timeouts 2 %: the constraints still hold.", text, StringComparison.Ordinal);
        Assert.Contains("At twice the backend delay, goodput 40/s, p99 200000 ms, 503s 60 %: breaks latency.p99 <= 100000 and share.503 <= 0.5.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bound_that_names_a_parameter_nobody_swept_is_judged_with_the_cells_value_of_it()
    {
        // delayMs is the fixture's parameter (500), not a swept one: the bound is 150,000 ms. At twice the rate the model's
        // p99 of 620 ms is within it; at twice the delay 200,000 ms is not. (Judged with the swept values alone, the bound
        // read NaN and both "broke" it.)
        var report = SweepReport.Build(SweepFolder(new Dictionary<string, double> { ["throughput.mean"] = 3 }, ["latency.p99 <= 300 * delayMs"]));
        var r = report.Recommendation;
        Assert.NotNull(r);
        Assert.Equal((true, false), (r.HoldsAtDoubleRate, r.HoldsAtDoubleDelay));
        Assert.Equal(["latency.p99 <= 300 * delayMs"], r.BreaksAtDoubleDelay);
        Assert.Contains("at twice the arrival rate, goodput 150/s, p99 620 ms (900 ms counting timeouts), 503s 0 %, timeouts 2 %: the constraints still hold.", SweepWriters.RecommendationText(report), StringComparison.Ordinal);
    }
}
