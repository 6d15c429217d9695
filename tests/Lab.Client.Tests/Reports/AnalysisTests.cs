using Lab.Testing;
using Lab.Client.Analysis;
using Lab.Client.Load;
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

    private static RunReport Report(string? checks = null) => RunReport.Build(FixtureRun.Create(checks), bucketS: 1);

    private static RunAnalysis Only(RunReport report, string name) => report.Variants.Single(v => v.Name == name).Runs.Single();

    [Fact]
    public void Intervals_bucket_arrivals_by_intended_time_and_answers_by_end_time()
    {
        var report = Report();
        var slow = Only(report, "slow").Intervals;
        var fast = Only(report, "fast").Intervals;

        // 10 arrivals per second for 2 s; the slow answers end 500 ms + 100 ms·k later.
        // The last answer ends at 4.3 s: five 1 s intervals.
        Assert.Equal(5, slow.Count);
        Assert.Equal([10L, 10, 0, 0, 0], slow.Select(r => r.Offered));
        Assert.Equal([3L, 5, 5, 5, 2], slow.Select(r => r.Answered));
        Assert.Equal([10L, 11], fast.Select(r => r.Offered).Take(2)); // the dropped arrival was intended at 1.95 s
        Assert.Equal(1, fast.Sum(r => r.Dropped));
        Assert.Equal(1, fast.Sum(r => r.Rejected503));
        // Outstanding at each interval's end: sent minus ended so far.
        Assert.Equal([7L, 12, 7, 2, 0], slow.Select(r => r.Outstanding));
        // Server samples merge by wall clock: the max of the samples inside each interval.
        Assert.Equal([4.0, 8, 12, 12], slow.Select(r => r.PoolThreads!.Value).Take(4));
        Assert.Equal(30, slow[0].PoolQueue);
    }

    [Fact]
    public void The_interval_follows_the_run_length_so_a_short_burst_has_sub_second_points()
    {
        Assert.Equal(0.1, Analyzer.ChooseBucketS(16));
        Assert.Equal(0.5, Analyzer.ChooseBucketS(60));
        Assert.Equal(1, Analyzer.ChooseBucketS(190));
        Assert.Equal(30, Analyzer.ChooseBucketS(3_600 + 600));
        var rows = Only(RunReport.Build(FixtureRun.Create()), "slow").Intervals;
        Assert.Equal(0.1, rows[0].WidthS);
        Assert.Equal(20, rows.Sum(r => r.Offered));
        Assert.Equal(10, rows.Max(r => r.PerS(r.Offered)), 6); // one arrival per 100 ms is 10/s
    }

    [Fact]
    public void Summaries_name_metrics_as_checks_do()
    {
        var report = Report();
        var slow = Only(report, "slow").Summary;
        var fast = Only(report, "fast").Summary;

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
        Assert.Equal(8, slow["threads.max"]);          // over the load window (until 2 s)
        Assert.Equal(2, slow["threads.start"]);
        Assert.Equal(30, slow["queue.max"]);
        // In the load window (samples at 0 … 1.5 s) 30 items waited while threads went 2 → 8: 6 threads in 1.5 s.
        Assert.Equal(4, slow["injection.rate"], 6);
        Assert.Equal(68, slow["memory.rssMax"], 6);     // 60 MB + 8 threads' worth, within the load window
        Assert.Equal(2.3, slow["recovery.s"], 6);           // the last answer at 4.3 s; the load ended at 2 s
        Assert.Equal(12, slow["outstanding.max"]);
        Assert.True(fast.ClientLimited);
    }

    [Fact]
    public void A_backlog_that_ended_in_timeouts_is_not_a_recovery_and_its_time_is_a_lower_bound()
    {
        // The fixture's slow variant, whose last answer came at 4.3 s, plus five requests that timed out at 6.05–6.45 s.
        var report = RunReport.Build(FixtureRun.Create(client: "{ drainS: 5, timeoutS: 5 }", extraRequests: Enumerable.Range(0, 5).Select(k =>
        {
            var intended = 1050.0 + k * 100;
            return new RequestRecord("slow", 1, 0, 100 + k, "/sync?delayMs=500", intended, intended + 0.5, intended + 0.5 + 5000, 0, Outcome.Timeout, 0);
        })));
        var slow = Only(report, "slow");
        Assert.Equal(0, slow.Summary["recovery.cleared"]);
        Assert.Equal(6.4505 - 2, slow.Summary["recovery.s"], 6); // the last timeout ended at 6.4505 s; the load ended at 2 s
        Assert.StartsWith("> 4.45 s: not recovered", SummaryRows.Cell(report.Variants.Single(v => v.Name == "slow"), "recovery.s", "s"), StringComparison.Ordinal);

        // Answered to the last: cleared, and the time is the time.
        var fast = Only(report, "fast").Summary;
        Assert.Equal(1, fast["recovery.cleared"]);
        Assert.Equal(1, Only(Report(), "slow").Summary["recovery.cleared"]);
    }

    [Fact]
    public void Server_maxima_are_over_the_load_window_and_the_drain_has_its_own()
    {
        var slow = Only(Report(), "slow").Summary;
        // Samples at 0 … 4.5 s: the queue held 30 items from 0 s to 2.5 s; the load (the inject phase) ends at 2 s.
        Assert.Equal(30, slow["queue.max"]);
        Assert.Equal(slow["queue.max"], slow["load.queue.max"]);
        Assert.Equal(30, slow["drain.queue.max"]);          // the 2.0 and 2.5 s samples come after the last arrival
        Assert.Equal(8, slow["threads.max"]);              // 2.0 s is past the load window: 2, 4, 6, 8 before it
        Assert.Equal(12, slow["drain.threads.max"]);
    }

    [Fact]
    public void The_pools_growth_after_the_last_arrival_is_the_drains_not_the_loads()
    {
        var slow = Only(RunReport.Build(FixtureRun.Create(poolEvents: true), 1), "slow").Summary;
        // Threads 2, 4, 6, 8 in the load window (to 2 s), 10, 12, 12 … after it; 30 items queued until 2.5 s.
        Assert.Equal((2.0, 8.0), (slow["threads.start"], slow["threads.final"]));
        Assert.Equal((10.0, 12.0), (slow["drain.threads.start"], slow["drain.threads.final"]));
        Assert.Equal(4, slow["injection.rate"], 6);                 // 6 threads in the 1.5 s the load window's samples span
        Assert.Equal(2, slow["drain.injection.rate"], 6);           // 2 threads in the 1 s that work still waited after it
        Assert.Equal(10 / 3.0, slow["run.injection.rate"], 6);      // the whole observation: 10 threads in 3 s
        // The pool's events likewise: two cooperative-blocking injections during the load, the starvation one at 2.2 s after it.
        Assert.Equal((2.0, 0.0), (slow["injections.cooperativeBlocking"], slow["injections.starvation"]));
        Assert.Equal((0.0, 1.0), (slow["drain.injections.cooperativeBlocking"], slow["drain.injections.starvation"]));
        Assert.Equal(3, slow["run.injections.total"]);
        Assert.Equal(slow["injections.total"] + slow["drain.injections.total"], slow["run.injections.total"]);
    }

    [Fact]
    public void Exact_percentiles_in_bounded_memory_agree_with_sorting_everything()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 50_000).Select(_ => Math.Round(Math.Exp(random.NextDouble() * 10), 3)).ToList();
        var d = new Distribution();
        foreach (var v in values) d.Record(v);
        d.BeginRefine();
        foreach (var v in values) d.Refine(v);
        var sorted = values.Order().ToList();
        foreach (var p in Distribution.Percentiles)
        {
            Assert.Equal(Stats.Percentile(sorted, p), d.ExactMs(p), 3);
        }

        Assert.Equal(sorted[^1], d.MaxMs, 3);
        Assert.Equal(values.Average(), d.MeanMs, 3);
    }

    [Fact]
    public void An_empty_distribution_has_no_percentiles_and_does_not_throw()
    {
        var d = new Distribution();
        d.BeginRefine();
        d.Refine(5);
        Assert.True(double.IsNaN(d.ExactMs(0.99)));
        Assert.True(double.IsNaN(d.MaxMs));
    }

    [Fact]
    public void A_timed_out_request_has_no_latency_and_the_timeouts_are_counted_beside_it()
    {
        var folder = FixtureRun.Create();
        // Two more slow requests that the client gave up on at 8 s.
        File.AppendAllLines(Path.Combine(folder, "requests.csv"),
        [
            new RequestRecord("slow", 1, 0, 30, "/sync?delayMs=500", 1000, 1000.5, 9000, 0, Outcome.Timeout, 0).ToCsv(),
            new RequestRecord("slow", 1, 0, 31, "/sync?delayMs=500", 1100, 1100.5, 9100, 0, Outcome.Timeout, 0).ToCsv(),
        ]);
        var slow = RunReport.Build(folder, 1).Variants.Single(v => v.Name == "slow");
        Assert.Equal(2400, slow.Median("latency.p99"));               // answered only
        Assert.Equal(8000, slow.Median("latencyWithTimeouts.p99"));  // timeouts at the timeout
        Assert.Equal(2, slow.Median("count.timeout"));
        Assert.Equal(2 / 22.0, slow.Median("share.timeout"), 6);
        Assert.Contains("timed out", SummaryRows.Cell(slow, "latency.p99", "ms"), StringComparison.Ordinal);
        Assert.StartsWith("> 30 s (9 % timed out", SummaryRows.Cell(slow, "latency.p99", "ms"), StringComparison.Ordinal);
        Assert.StartsWith("1400 ms", SummaryRows.Cell(slow, "latency.p50", "ms"), StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_become_verdicts_with_the_measured_values_put_in()
    {
        var report = Report();
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
    public void Checks_can_use_parameters_and_texts_can_compute()
    {
        var report = RunReport.Build(FixtureRun.Create("""["slow.latency.p50 > 2 * delayMs"]"""), 1);
        Assert.True(report.Verdicts[0].Passed);
        Assert.Equal("1400 > 2 × 500  →  1400 > 1000", report.Verdicts[0].Substituted);
        Assert.Equal("p50 1400 ms is 2.8 delays", report.Fill("p50 {slow.latency.p50} ms is {= slow.latency.p50 / delayMs} delays"));
    }

    [Fact]
    public void A_check_over_a_metric_without_data_is_inconclusive_and_says_so()
    {
        var report = RunReport.Build(FixtureRun.Create("""["fast.injection.rate > 0"]"""));
        Assert.Equal("no data for fast.injection.rate", report.Verdicts[0].Problem);
        Assert.Equal(CheckOutcome.Inconclusive, report.Verdicts[0].Outcome);
        Assert.False(report.Verdicts[0].Passed);
    }

    [Fact]
    public void A_check_on_a_variant_a_killed_server_cut_short_is_not_reported_as_a_pass()
    {
        var report = RunReport.Build(FixtureRun.Create("""["slow.count.ok > 0"]""", incomplete: ["slow#1"]));
        Assert.Equal(CheckOutcome.Inconclusive, report.Verdicts[0].Outcome);
        Assert.Contains("did not complete", report.Verdicts[0].Problem, StringComparison.Ordinal);
        Assert.False(report.Run.Complete);
    }

    [Fact]
    public void With_repetitions_every_metric_is_a_median_with_its_range_and_every_check_says_where_it_held()
    {
        // Repetition r scales latencies by r: slow p99 2400, 4800, 7200; fast p99 50, 100, 150.
        var report = RunReport.Build(FixtureRun.Create("""["slow.latency.p99 < 5000", "slow.latency.p99 > 10 * fast.latency.p99"]""", repetitions: 3), 1);
        var slow = report.Variants.Single(v => v.Name == "slow");
        Assert.Equal(3, slow.Runs.Count);
        Assert.Equal(4800, slow.Median("latency.p99"));
        Assert.Equal((2400.0, 7200.0), (slow["latency.p99"].Min, slow["latency.p99"].Max));
        Assert.Null(slow["latency.p99"].Ci95);
        Assert.Equal("4800 ms (2400–7200)", SummaryRows.Value(slow["latency.p99"], "ms"));
        Assert.Equal("2/3", report.Verdicts[0].Stability);
        Assert.Equal(CheckOutcome.Failed, report.Verdicts[0].Outcome);
        Assert.Equal("3/3", report.Verdicts[1].Stability);
        Assert.True(report.Verdicts[1].Passed);
    }

    [Fact]
    public void From_five_repetitions_a_spread_has_a_confidence_interval()
    {
        var spread = new Spread([10, 12, 11, 13, 9]);
        Assert.Equal(11, spread.Median);
        var ci = spread.Ci95!.Value;
        // mean 11, sd 1.58, t(0.975, 4) = 2.776: 11 ± 1.96
        Assert.Equal(9.04, ci.Low, 2);
        Assert.Equal(12.96, ci.High, 2);
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
        Assert.Equal(7, comparison.Charts().Count);
    }
}
