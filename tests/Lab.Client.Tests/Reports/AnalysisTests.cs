using Lab.Testing;
using Lab.Client.Analysis;
using Lab.Client.Reports;

namespace Lab.Client.Tests.Reports;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class AnalysisTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.5, 5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.99, 10)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.0, 1)]
    [InlineData(new double[] { 7 }, 0.999, 7)]
    [InlineData(new double[] { 10, 20 }, 0.5, 10)]
    [InlineData(new double[] { 10, 20 }, 0.51, 20)]
    public void Percentiles_use_the_nearest_rank(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, Stats.Percentile(sorted, p));
    }

    [Fact]
    public void A_percentile_of_nothing_is_not_a_number()
    {
        Assert.True(double.IsNaN(Stats.Percentile([], 0.99)));
    }

    public static TheoryData<(double, int, long)[], double> InjectionCases() => new()
    {
        // 2 → 6 threads over 2 s with work waiting throughout: 2 threads/s.
        { [(0, 2, 10), (1, 4, 10), (2, 6, 10)], 2.0 },
        // Growth while nothing waits does not count; the waiting second added 1 thread.
        { [(0, 2, 0), (1, 8, 0), (2, 8, 5), (3, 9, 0)], 1.0 },
        // Threads retiring count as no growth, not negative growth.
        { [(0, 10, 5), (1, 8, 5), (2, 9, 5)], 0.5 },
        // Work waited only 0.5 s in all: too short for a rate.
        { [(0, 2, 5), (0.5, 4, 0)], double.NaN },
        // Never waited.
        { [(0, 2, 0), (1, 2, 0)], double.NaN },
    };

    [Theory]
    [MemberData(nameof(InjectionCases))]
    public void Injection_rate_counts_growth_only_while_work_waited(( double, int, long)[] samples, double expected)
    {
        var rate = Stats.InjectionRate(samples);
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(rate), $"expected n/a, got {rate}");
        else Assert.Equal(expected, rate, 6);
    }

    [Fact]
    public void Memory_per_thread_is_the_slope_of_memory_against_threads()
    {
        // 8 MB reserved per thread on top of a 100 MB base, with some noise that cancels out.
        var points = Enumerable.Range(0, 21).Select(i => (X: 20.0 + 100 * i, Y: 100e6 + 8e6 * 100 * i + (i % 2 == 0 ? 1e5 : -1e5))).ToList();
        Assert.Equal(8e6, Stats.Slope(points), 0);
        Assert.True(double.IsNaN(Stats.Slope([(20, 1), (40, 2)])), "a 20-thread range is too short for a slope");
        Assert.True(double.IsNaN(Stats.Slope([(20, 1)])));
    }

    [Fact]
    public void Intervals_bucket_arrivals_by_intended_time_and_answers_by_end_time()
    {
        var report = RunReport.Build(FixtureRun.Create());
        var slow = report.Variants.Single(v => v.Data.Name == "slow").Intervals;
        var fast = report.Variants.Single(v => v.Data.Name == "fast").Intervals;

        // 10 arrivals per second for 2 s; the slow answers end 500 ms + 100 ms·k later.
        // The last answer ends at 4.3 s: five 1 s intervals.
        Assert.Equal(5, slow.Count);
        Assert.Equal([10L, 10, 0, 0, 0], slow.Select(r => r.Offered));
        Assert.Equal([3L, 5, 5, 5, 2], slow.Select(r => r.Completed));
        Assert.Equal([10L, 11], fast.Select(r => r.Offered).Take(2)); // the dropped arrival was intended at 1.95 s
        Assert.Equal(1, fast.Sum(r => r.Dropped));
        Assert.Equal(1, fast.Sum(r => r.Rejected503));
        // Server samples merge by wall clock: the max of the samples inside each interval.
        Assert.Equal([4.0, 8, 12, 12], slow.Select(r => r.PoolThreads!.Value).Take(4));
        Assert.Equal(30, slow[0].PoolQueue);
    }

    [Fact]
    public void Summaries_name_metrics_as_checks_do()
    {
        var report = RunReport.Build(FixtureRun.Create());
        var slow = report.Variants.Single(v => v.Data.Name == "slow").Summary;
        var fast = report.Variants.Single(v => v.Data.Name == "fast").Summary;

        Assert.Equal(20, slow["count.ok"]);
        Assert.Equal(19, fast["count.ok"]);
        Assert.Equal(1, fast["count.503"]);
        Assert.Equal(1, fast["count.dropped"]);
        Assert.Equal(21, fast["count.scheduled"]);
        Assert.Equal(2400, slow["latency.p99"]);   // nearest rank 20 of 20: 500 + 19·100
        Assert.Equal(1400, slow["latency.p50"]);   // nearest rank 10 of 20: 500 + 9·100
        Assert.Equal(50, fast["latency.p99"], 3);
        Assert.Equal(20 / 4.3, slow["throughput.mean"], 6);   // the last answer came at 4.3 s, after the 3 s profile
        Assert.Equal(19 / 3.0, fast["throughput.mean"], 6);   // answered within the profile
        Assert.Equal(12, slow["threads.max"]);
        Assert.Equal(2, slow["threads.start"]);
        Assert.Equal(30, slow["queue.max"]);
        // While 30 items waited (six 500 ms steps), threads went 2 → 12: 10 threads in 3 s.
        Assert.Equal(10 / 3.0, slow["injection.rate"], 6);
        Assert.Equal(72, slow["memory.rssMax"], 6);
        Assert.Equal(2.3, slow["recovery.s"], 6);           // the last answer at 4.3 s; the load ended at 2 s
        Assert.True(fast.ClientLimited);
    }

    [Fact]
    public void Checks_become_verdicts_with_the_measured_values_put_in()
    {
        var report = RunReport.Build(FixtureRun.Create());
        Assert.Equal(4, report.Verdicts.Count);
        var latency = report.Verdicts[0];
        Assert.True(latency.Passed);
        Assert.Equal("2400 > 5 × 50  →  2400 > 250", latency.Substituted);
        Assert.False(report.Verdicts[1].Passed); // fast.count.ok is 19: one 503
        Assert.Equal("19 == 20  →  19 == 20", report.Verdicts[1].Substituted);
        Assert.True(report.Verdicts[2].Passed);
        Assert.True(report.Verdicts[3].Passed);
        Assert.False(report.ChecksPassed);
    }

    [Fact]
    public void A_check_over_a_metric_without_data_fails_and_says_so()
    {
        var report = RunReport.Build(FixtureRun.Create("""["fast.injection.rate > 0", "ghost.latency.p99 < 1"]"""));
        Assert.Equal("no data for fast.injection.rate", report.Verdicts[0].Problem);
        Assert.False(report.Verdicts[0].Passed);
        Assert.Equal("variant ghost did not run", report.Verdicts[1].Problem);
    }

    [Theory]
    [InlineData(100, 150, "+50 %")]
    [InlineData(200, 100, "-50 %")]
    [InlineData(0, 0, "0 %")]
    [InlineData(0, 5, "new")]
    [InlineData(42, 42, "0 %")]
    public void Comparison_deltas_are_percent_changes_from_the_baseline(double a, double b, string expected)
    {
        Assert.Equal(expected, Comparison.Delta(a, b));
    }

    [Fact]
    public void A_run_compared_with_itself_changes_nothing()
    {
        var folder = FixtureRun.Create();
        var comparison = new Comparison(RunReport.Build(folder), RunReport.Build(folder));
        Assert.Equal(["slow", "fast"], comparison.SharedVariants);
        Assert.All(comparison.Rows(), r => Assert.Contains(r.Delta, new[] { "0 %", "–" }));
        Assert.Equal(6, comparison.Charts().Count);
    }
}
