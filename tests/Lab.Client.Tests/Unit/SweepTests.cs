using Lab.Client.Scenarios;
using Lab.Client.Sweeps;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>Sweeps without running anything: the grid as read, the cells, the model's physics and the recommendation.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class SweepTests
{
    private const string Base = """
        name: sw
        description: a sweep
        claims: []
        params:
          delayMs: 100
          ratePerS: 40
          permits: { value: 10, integer: true }
        requires:
          - permits <= ratePerS
        load:
          model: open
          phases:
            - inject: { ratePerS: ratePerS, durationS: 2 }
        variants:
          - name: a
            endpoint: /async?delayMs={delayMs}
            server: { concurrencyLimit: permits }
        """;

    private static Scenario Parse(string sweep) => ScenarioLoader.Parse(Base + "\n" + sweep, "sw.yaml", processorCount: 2);

    private static IReadOnlyList<ScenarioError> Errors(string sweep) =>
        Assert.Throws<ScenarioException>(() => Parse(sweep)).Errors;

    [Fact]
    public void A_grid_over_parameters_and_knobs_with_a_range_a_zip_an_objective_and_a_model_is_read()
    {
        var s = Parse("""
            sweep:
              grid:
                permits: { from: 10, to: 30, step: 10 }
                queueLimit: [0, 100, 1000]
                maxConnectionsPerServer: [unlimited, 4, default]
              zip: [[permits, queueLimit]]
              objective: { maximize: throughput.mean, subjectTo: [latency.p99 <= 3 * delayMs, share.503 <= 0.01] }
              model: { style: awaiting, delayMs: delayMs, calls: 2 }
              maxMinutes: 5
            """);
        var sweep = s.Sweep!;
        Assert.Equal(["10", "20", "30"], sweep.Axes[0].Values);
        Assert.Equal(("QueueLimit", "MaxConnectionsPerServer"), (sweep.Axes[1].KnobName, sweep.Axes[2].KnobName));
        Assert.Null(sweep.Axes[0].KnobName);
        Assert.Equal(["permits", "queueLimit"], sweep.Zip.Single());
        Assert.Equal(("throughput.mean", true, "a"), (sweep.Objective!.Metric, sweep.Objective.Maximize, sweep.Objective.Variant));
        Assert.Equal(2, sweep.Model!.CallsPerRequest(new Dictionary<string, double>()));
        Assert.Equal(100, sweep.Model.Delay(new Dictionary<string, double> { ["delayMs"] = 100 }));

        // Zipped names move together: 3 (permits with queueLimit) × 3 (connections), not 27.
        var cells = SweepPlan.Cells(sweep);
        Assert.Equal(9, cells.Count);
        Assert.Equal(9, SweepPlan.CellCount(sweep.Axes, sweep.Zip));
        Assert.Equal("permits=10, queueLimit=0, maxConnectionsPerServer=unlimited", cells[0].Label);
        Assert.Equal("permits=30, queueLimit=1000, maxConnectionsPerServer=default", cells[^1].Label);
        Assert.Equal(cells.Count, cells.Select(c => c.Label).Distinct().Count());
    }

    [Theory]
    [InlineData("sweep: { grid: { nope: [1, 2] } }", "sweep.grid.nope", "neither a parameter")]
    [InlineData("sweep: { grid: { cpus: [1, 2] } }", "sweep.grid.cpus", "the machine's")]
    [InlineData("sweep: { grid: { permits: [1.5] } }", "sweep.grid.permits", "whole number")]
    [InlineData("sweep: { grid: { minWorkerThreads: [0] } }", "sweep.grid.minWorkerThreads", "")]
    [InlineData("sweep: { grid: { delayMs: { from: 10, to: 1, step: 1 } } }", "sweep.grid.delayMs", "from <= to")]
    [InlineData("sweep: { grid: { delayMs: [1, 2], ratePerS: [1] }, zip: [[delayMs, ratePerS]] }", "sweep.zip[0]", "the same number of values")]
    [InlineData("sweep: { grid: { delayMs: [1, 2] }, zip: [[delayMs, other]] }", "sweep.zip[0]", "not in the grid")]
    [InlineData("sweep: { grid: { delayMs: [1] }, objective: { maximize: nope.mean } }", "sweep.objective", "nope.mean")]
    [InlineData("sweep: { grid: { delayMs: [1] }, objective: { maximize: throughput.mean, minimize: latency.p99 } }", "sweep.objective", "exactly one")]
    [InlineData("sweep: { grid: { delayMs: [1] }, objective: { maximize: throughput.mean, variant: b } }", "sweep.objective.variant", "one of this scenario's variants")]
    [InlineData("sweep: { grid: { delayMs: [1] }, objective: { maximize: throughput.mean, subjectTo: [latency.p99 <= missing] } }", "sweep.objective.subjectTo[0]", "unknown parameter")]
    [InlineData("sweep: { grid: { delayMs: [1] }, model: { style: sleepy, delayMs: 1 } }", "sweep.model.style", "awaiting")]
    [InlineData("sweep: { grid: { delayMs: [1] }, model: { style: awaiting } }", "sweep.model.delayMs", "")]
    public void A_bad_sweep_names_the_field_and_what_was_expected(string sweep, string path, string expected)
    {
        var errors = Errors(sweep);
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(expected, StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void A_grid_too_large_is_refused_before_anything_runs()
    {
        var values = string.Join(", ", Enumerable.Range(1, 25));
        var errors = Errors($"sweep: {{ grid: {{ delayMs: [{values}], ratePerS: [{values}] }} }}");
        Assert.Contains(errors, e => e.Path == "sweep.grid" && e.Message.Contains("625 cells", StringComparison.Ordinal) && e.Message.Contains($"at most {ScenarioLoader.MaxSweepCells}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_knob_cannot_be_swept_on_a_target_the_lab_does_not_configure()
    {
        var text = """
            name: t
            description: target
            claims: []
            params: { n: 1 }
            target: { command: [dotnet, app.dll, --urls, "http://127.0.0.1:$PORT"], url: "http://127.0.0.1:$PORT" }
            load: { model: open, phases: [ { inject: { ratePerS: 1, durationS: 1 } } ] }
            variants: [ { name: a, endpoint: /x } ]
            sweep: { grid: { concurrencyLimit: [1, 2], n: [1, 2] } }
            """;
        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml", processorCount: 2)).Errors;
        Assert.Contains(errors, e => e.Path == "sweep.grid.concurrencyLimit" && e.Message.Contains("target", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Path == "sweep.grid.n");
    }

    [Fact]
    public void Cells_that_break_the_files_rules_or_the_knob_rules_are_invalid_with_the_reason_and_the_rest_run()
    {
        var dir = Directory.CreateTempSubdirectory("sweep-cells-");
        try
        {
            var path = Path.Combine(dir.FullName, "sw.yaml");
            File.WriteAllText(path, Base + "\n" + """
                sweep:
                  grid:
                    permits: [10, 50]
                    minWorkerThreads: [4, 64]
                    maxWorkerThreads: [32]
                """);
            var plan = SweepRunner.Plan(path, new Dictionary<string, string>(), null, 1);
            Assert.Equal(4, plan.Cells.Count);
            var invalid = plan.Cells.Where(c => c.Scenario is null).ToDictionary(c => c.Cell.Label, c => c.Invalid!);
            // permits=50 breaks "requires: permits <= ratePerS"; minWorkerThreads=64 is above maxWorkerThreads=32.
            Assert.Equal(3, invalid.Count);
            Assert.Contains("requires", invalid["permits=50, minWorkerThreads=4, maxWorkerThreads=32"], StringComparison.Ordinal);
            Assert.Contains("MinWorkerThreads = 64 is above MaxWorkerThreads = 32", invalid["permits=10, minWorkerThreads=64, maxWorkerThreads=32"], StringComparison.Ordinal);
            var ok = Assert.Single(plan.Runnable);
            Assert.Equal(("10", "4", "32"), (ok.Scenario!.Variants[0].ServerKnobs["ConcurrencyLimit"], ok.Scenario.Variants[0].ServerKnobs["MinWorkerThreads"], ok.Scenario.Variants[0].ServerKnobs["MaxWorkerThreads"]));
            Assert.Equal(10, ok.Scenario.Parameters.Single(p => p.Name == "permits").Value);

            var file = SweepRunner.NewFile(plan, new Dictionary<string, string>(), 1);
            Assert.Equal([SweepRunner.Pending, SweepRunner.Invalid, SweepRunner.Invalid, SweepRunner.Invalid], file.Cells.Select(c => c.Status));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Default_removes_a_knob_so_the_server_uses_its_own()
    {
        var dir = Directory.CreateTempSubdirectory("sweep-default-");
        try
        {
            var path = Path.Combine(dir.FullName, "sw.yaml");
            File.WriteAllText(path, Base.Replace("server: { concurrencyLimit: permits }", "server: { concurrencyLimit: permits, maxConnectionsPerServer: 8 }", StringComparison.Ordinal)
                + "\nsweep: { grid: { maxConnectionsPerServer: [default, 16] } }\n");
            var plan = SweepRunner.Plan(path, new Dictionary<string, string>(), null, 1);
            Assert.False(plan.Cells[0].Scenario!.Variants[0].ServerKnobs.ContainsKey("MaxConnectionsPerServer"));
            Assert.Equal("16", plan.Cells[1].Scenario!.Variants[0].ServerKnobs["MaxConnectionsPerServer"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static ModelInput Input(double rate, double seconds, double serviceS, string style = "awaiting", int minThreads = 2, int maxThreads = 32767,
        double injection = 1, int? permits = null, int queue = 1000, int? connections = null, double timeoutS = 30)
    {
        var arrivals = Lab.Client.Load.Schedule.Constant(rate, seconds).ToList();
        return new ModelInput(arrivals, serviceS, style, minThreads, maxThreads, injection, permits, queue, connections, timeoutS, seconds, seconds);
    }

    [Fact]
    public void The_model_follows_littles_law_when_nothing_binds()
    {
        var p = QueueModel.Predict(Input(rate: 100, seconds: 4, serviceS: 0.5));
        // Goodput over the time taken: 400 answers by the last one at 4 s + 0.5 s.
        Assert.InRange(p.GoodputPerS, 400 / 4.5 - 1, 400 / 4.5 + 1);
        Assert.InRange(p.LatencyP99Ms, 500, 520);
        Assert.InRange(p.OutstandingMax, 49, 52);
        Assert.Equal(0, p.Share503 + p.ShareTimeout);
    }

    [Fact]
    public void A_connection_cap_bounds_goodput_at_connections_over_service_time()
    {
        var p = QueueModel.Predict(Input(rate: 100, seconds: 4, serviceS: 0.5, connections: 10));
        // 10 connections serve 20/s; 400 requests take 20 s, so goodput over the time taken is about 20/s.
        Assert.InRange(p.GoodputPerS, 19, 21);
        Assert.True(p.LatencyP99Ms > 10 * 500, $"p99 {p.LatencyP99Ms}");
    }

    [Fact]
    public void A_full_limiter_queue_rejects_what_the_permits_and_the_queue_cannot_hold_and_serves_the_queue_first()
    {
        // 600/s for 3 s; 100 permits at 500 ms serve 200/s; 1200 must wait, 100 fit the queue: about 1100 rejected.
        var p = QueueModel.Predict(Input(rate: 600, seconds: 3, serviceS: 0.5, permits: 100, queue: 100));
        Assert.InRange(p.Share503 * 1800, 1000, 1200);
        // Oldest first: a served request waited at most the queue's length at the permits' pace, then the service.
        Assert.InRange(p.LatencyP99Ms, 500, 500 + 100 / 200.0 * 1000 + 50);
    }

    [Fact]
    public void A_blocking_endpoint_waits_for_threads_the_pool_adds_at_the_injection_rate()
    {
        // 60/s blocking over 500 ms needs 30 threads; from 2 at 1 thread/s the backlog grows through the burst.
        var starved = QueueModel.Predict(Input(rate: 60, seconds: 4, serviceS: 0.5, style: "blocking", minThreads: 2, injection: 1, timeoutS: 8));
        var enough = QueueModel.Predict(Input(rate: 60, seconds: 4, serviceS: 0.5, style: "blocking", minThreads: 32, injection: 1, timeoutS: 8));
        var faster = QueueModel.Predict(Input(rate: 60, seconds: 4, serviceS: 0.5, style: "blocking", minThreads: 2, injection: 4, timeoutS: 8));
        Assert.InRange(enough.LatencyP99Ms, 500, 520);
        Assert.InRange(enough.ThreadsMax, 30, 32);
        Assert.True(starved.LatencyP99Ms > 5 * enough.LatencyP99Ms || starved.ShareTimeout > 0.5, $"starved p99 {starved.LatencyP99Ms}, timeouts {starved.ShareTimeout}");
        Assert.InRange(starved.ThreadsMax, 4, 8);
        Assert.True(faster.ThreadsMax > 2 * starved.ThreadsMax - 2, $"{faster.ThreadsMax} vs {starved.ThreadsMax}");
        // An awaiting endpoint needs no threads to wait: the model says nothing about them.
        Assert.True(double.IsNaN(QueueModel.Predict(Input(rate: 60, seconds: 4, serviceS: 0.5)).ThreadsMax));
    }

    [Fact]
    public void Timeouts_are_the_requests_the_client_gave_up_on()
    {
        var p = QueueModel.Predict(Input(rate: 100, seconds: 2, serviceS: 0.5, connections: 5, timeoutS: 2));
        // 5 connections serve 10/s: in 2 s of waiting at most ~20 + the first ones get through; most time out.
        Assert.InRange(p.ShareTimeout, 0.6, 0.95);
    }

    private static SweepCellResult Cell(int index, string label, double? objective, bool held, double slack, bool measured = true) =>
        new(index, $"cell-{index + 1:00}", label, [new SweepValue("n", label)], measured ? SweepRunner.Complete : SweepRunner.Pending, null, null,
            new Dictionary<string, IReadOnlyDictionary<string, MetricSpread>>(), measured ? objective : null,
            measured ? [new ConstraintResult("latency.p99 <= 1000", 1000 * (1 - slack), "<=", 1000, held, slack)] : [], held ? 1 : 0, 1, null)
        {
            PerRepetition = measured ? [held ? objective : null] : [],
        };

    private static SweepSpec Spec(params string[] values) =>
        new([new SweepAxis("n", null, values)], [], new SweepObjective("throughput.mean", true, ["latency.p99 <= 1000"], "a"), null, 30);

    [Fact]
    public void The_recommendation_is_the_best_feasible_cell_with_its_margins_and_neighbours()
    {
        var spec = Spec("1", "2", "3", "4");
        var cells = new[] { Cell(0, "1", 100, true, 0.5), Cell(1, "2", 200, true, 0.05), Cell(2, "3", 300, false, -0.2), Cell(3, "4", 50, false, 0, measured: false) };
        var (r, why) = SweepReport.Recommend(cells, spec, spec.Objective);
        Assert.Null(why);
        Assert.Equal("cell-02", r!.Id);
        Assert.Equal("1/1", r.Stability);
        Assert.Equal("1/1", r.Chosen);
        Assert.Equal(["n 2 → 1", "n 2 → 3"], r.Neighbours.Select(n => n.Changed));
        Assert.Equal([true, false], r.Neighbours.Select(n => n.Feasible));
        Assert.Contains("cell-01", r.RunnerUp, StringComparison.Ordinal);

        var text = SweepWriters.RecommendationText(new SweepReport("/x", null!, spec.Axes, spec.Objective, "a", null, cells, r, null, [], [], ""));
        Assert.Contains("Tight", text, StringComparison.Ordinal);
        Assert.Contains("n 2 → 3 loses it", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tie_goes_to_the_cell_with_the_most_room_and_an_unmeasured_neighbour_is_not_called_infeasible()
    {
        var spec = Spec("1", "2", "3");
        var cells = new[] { Cell(0, "1", 300, true, 0.1), Cell(1, "2", 301, true, 0.6), Cell(2, "3", 0, false, 0, measured: false) };
        var (r, _) = SweepReport.Recommend(cells, spec, spec.Objective);
        Assert.Equal("cell-02", r!.Id);
        Assert.Equal(["cell-01"], r.Tied);
        var third = r.Neighbours.Single(n => n.Id == "cell-03");
        Assert.False(third.Measured);
        var text = SweepWriters.RecommendationText(new SweepReport("/x", null!, spec.Axes, spec.Objective, "a", null, cells, r, null, [], [], ""));
        Assert.Contains("not measured", text, StringComparison.Ordinal);
        Assert.DoesNotContain("loses it", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_choice_is_stable_only_in_the_repetitions_where_it_comes_out_on_top_on_its_own()
    {
        var spec = Spec("1", "2");
        SweepCellResult Two(int index, double? a, double? b, double median) =>
            new(index, $"cell-{index + 1:00}", $"{index + 1}", [new SweepValue("n", $"{index + 1}")], SweepRunner.Complete, null, null,
                new Dictionary<string, IReadOnlyDictionary<string, MetricSpread>>(), median,
                [new ConstraintResult("latency.p99 <= 1000", 500, "<=", 1000, a is not null && b is not null, 0.5)], (a is null ? 0 : 1) + (b is null ? 0 : 1), 2, null)
            {
                PerRepetition = [a, b],
            };

        // Cell 2 is better on the medians and in the first repetition; cell 1 wins the second.
        var cells = new[] { Two(0, 100, 300, 200), Two(1, 200, 250, 225) };
        var (r, _) = SweepReport.Recommend(cells, spec, spec.Objective);
        Assert.Equal("cell-02", r!.Id);
        Assert.Equal("1/2", r.Chosen);
        Assert.Equal("2/2", r.Stability);
    }

    [Fact]
    public void With_no_feasible_cell_there_is_no_recommendation_and_the_closest_is_named()
    {
        var spec = Spec("1", "2");
        var cells = new[] { Cell(0, "1", 100, false, -0.5), Cell(1, "2", 200, false, -0.1) };
        var (r, why) = SweepReport.Recommend(cells, spec, spec.Objective);
        Assert.Null(r);
        Assert.Contains("closest: cell-02", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_share_held_at_its_best_value_is_not_called_tight()
    {
        var check = SweepObjective.Bind("share.ok >= 0.99", "a");
        var result = SweepReport.Judge("share.ok >= 0.99", check, new Lab.Client.Checks.ExpressionValues(_ => 1.0, new Dictionary<string, double>()));
        Assert.True(result.Held);
        Assert.Equal(1, result.Slack, 6);
        var latency = SweepReport.Judge("latency.p99 <= 1000", SweepObjective.Bind("latency.p99 <= 1000", "a"), new Lab.Client.Checks.ExpressionValues(_ => 950, new Dictionary<string, double>()));
        Assert.Equal(0.05, latency.Slack, 6);
    }
}
