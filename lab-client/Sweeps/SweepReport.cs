using Lab.Client.Analysis;
using Lab.Client.Checks;
using Lab.Client.Reports;
using Lab.Client.Scenarios;

namespace Lab.Client.Sweeps;

/// <summary>A metric of one variant in one cell over its repetitions: median, range, how many.</summary>
public sealed record MetricSpread(double Median, double Min, double Max, int N)
{
    public static MetricSpread Of(Spread s) => new(s.Median, s.Min, s.Max, s.N);
}

/// <summary>One constraint judged on a cell's medians: the two sides, and how much room is left (a fraction of the bound).</summary>
public sealed record ConstraintResult(string Constraint, double Value, string Operator, double Bound, bool Held, double Slack);

/// <summary>What the model predicts for the judged variant of one cell, at the cell's load and at twice its rate or delay.</summary>
public sealed record CellModel(IReadOnlyDictionary<string, double> Predicted, IReadOnlyDictionary<string, double>? AtDoubleRate, IReadOnlyDictionary<string, double>? AtDoubleDelay);

/// <summary>One cell as measured: its values, its run, every variant's key metrics, and its judgement against the objective.</summary>
public sealed record SweepCellResult(
    int Index, string Id, string Label, IReadOnlyList<SweepValue> Values, string Status, string? Reason, string? Run,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSpread>> Variants,
    double? Objective, IReadOnlyList<ConstraintResult> Constraints, int FeasibleRepetitions, int Repetitions, CellModel? Model)
{
    /// <summary>Per repetition (1-based, in order): the objective's value in that repetition alone, or null when it broke a constraint or did not complete.</summary>
    public IReadOnlyList<double?> PerRepetition { get; init; } = [];

    /// <summary>Variants whose client could not keep the schedule in some repetition: their numbers understate the server.</summary>
    public IReadOnlyList<string> ClientLimited { get; init; } = [];

    /// <summary>Every scenario parameter as the cell ran with it (swept or not), for constraints that name one; empty until measured.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The model's error on each metric it predicted, against the judged variant's medians (<see cref="ModelError"/>); empty until measured.</summary>
    public IReadOnlyList<CellModelError> ModelErrors { get; init; } = [];

    public CellModelError? ModelErrorOf(string metric) => ModelErrors.FirstOrDefault(e => e.Metric == metric);

    public bool Measured => Status == SweepRunner.Complete;

    /// <summary>Complete, and every constraint held on the medians and in every repetition.</summary>
    public bool Feasible => Measured && Objective is { } o && double.IsFinite(o) && Constraints.All(c => c.Held) && FeasibleRepetitions == Repetitions;

    public double Metric(string variant, string metric) =>
        Variants.TryGetValue(variant, out var m) && m.TryGetValue(metric, out var s) ? s.Median : double.NaN;
}

/// <summary>A neighbour of the recommended cell (one step along one swept name) and whether it would also do.</summary>
public sealed record Neighbour(string Id, string Label, string Changed, bool Measured, bool Feasible, double? Objective)
{
    /// <summary>The neighbour's status when it was not measured: invalid, pending, incomplete…</summary>
    public string Status { get; init; } = SweepRunner.Complete;
}

/// <summary>The recommended cell and the reasons to trust it — or not.</summary>
public sealed record Recommendation(
    string Id, string Label, double Objective, IReadOnlyList<ConstraintResult> Constraints, string Stability,
    IReadOnlyList<Neighbour> Neighbours, bool? HoldsAtDoubleRate, bool? HoldsAtDoubleDelay, string? RunnerUp)
{
    /// <summary>Other cells within <see cref="SweepReport.TieFraction"/> of its objective: the pick among them went to the most room.</summary>
    public IReadOnlyList<string> Tied { get; init; } = [];

    /// <summary>"3/3": in how many repetitions, each judged on its own, this cell (or one tied with it) would have been picked.</summary>
    public string Chosen { get; init; } = "";

    /// <summary>The constraints the model predicts this setting breaks at twice the arrival rate (empty when they hold or were not judged).</summary>
    public IReadOnlyList<string> BreaksAtDoubleRate { get; init; } = [];

    /// <summary>The constraints the model predicts this setting breaks at twice the backend delay.</summary>
    public IReadOnlyList<string> BreaksAtDoubleDelay { get; init; } = [];
}

/// <summary>One cell where the model missed by a lot, with what the server's own series showed there.</summary>
public sealed record ModelMiss(string Cell, string Label, string Metric, double Measured, double Predicted, double Error, string Context);

/// <summary>How far the model was from the measurement, per metric over the measured cells: the median of the errors' sizes, and the worst with its cell.</summary>
public sealed record ModelFit(string Metric, int Cells, double MedianError, double WorstError, string WorstCell, string WorstLabel);

/// <summary>
/// A sweep's report, computed from <c>sweep.json</c> and each cell's run folder: every cell's metrics (medians over
/// its repetitions), the objective and its constraints cell by cell, the recommended cell with its margins, its
/// neighbours and its stability, the frontier of throughput against tail latency, and how well the model did.
/// </summary>
public sealed record SweepReport(
    string Folder, SweepFile Sweep, IReadOnlyList<SweepAxis> Axes, SweepObjective? Objective, string JudgedVariant, SweepModelSpec? ModelSpec,
    IReadOnlyList<SweepCellResult> Cells, Recommendation? Recommendation, string? NoRecommendation, IReadOnlyList<string> Frontier,
    IReadOnlyList<ModelFit> Fit, string Description)
{
    /// <summary>Misses beyond this (a quarter, by <see cref="ModelError"/>'s rule) are listed cell by cell.</summary>
    public const double MissRelative = 0.25;

    /// <summary>The model's largest misses, worst first.</summary>
    public IReadOnlyList<ModelMiss> Misses { get; init; } = [];

    /// <summary>The metrics every cell's table and CSV show, beside the objective's and the constraints'.</summary>
    public static readonly IReadOnlyList<string> KeyMetrics =
    [
        "throughput.mean", "latency.p50", "latency.p99", "latencyWithTimeouts.p99", "share.ok", "share.503", "share.timeout",
        "threads.max", "injection.rate", "queue.max", "limiterQueue.max", "outstanding.max", "connections.max", "memory.rssMax", "lag.p99",
    ];

    /// <summary>The metrics the model predicts; its error on each follows <see cref="ModelError"/>.</summary>
    public static readonly IReadOnlyList<string> ModelMetrics =
    [
        "throughput.mean", "latency.p99", "latencyWithTimeouts.p99", "share.503", "share.timeout", "threads.max", "outstanding.max",
    ];

    /// <summary>The rule the errors follow, in words (here so sweep-report.json carries it).</summary>
    public string ModelErrorRule { get; init; } = ModelError.Rule;

    public bool Complete => Sweep.Status == SweepRunner.Complete && Cells.All(c => c.Status is SweepRunner.Complete or SweepRunner.Invalid);

    public IEnumerable<string> Metrics => KeyMetrics
        .Concat(Objective is null ? [] : [Objective.Metric])
        .Concat(Objective?.Constraints.SelectMany(c => CheckExpression.Parse(SweepObjective.Prefix(c, JudgedVariant)).Metrics.Select(m => m.Key)) ?? [])
        .Distinct(StringComparer.Ordinal);

    public static SweepReport Build(string folder)
    {
        var sweep = SweepFile.TryRead(folder) ?? throw new FileNotFoundException($"{Path.Combine(folder, SweepFile.FileName)} not found: not a sweep folder.");
        SweepSpec? spec = sweep.Spec;
        var judged = spec?.Objective?.Variant ?? "";
        var cells = new List<SweepCellResult>();
        foreach (var state in sweep.Cells.OrderBy(c => c.Index))
        {
            cells.Add(Cell(folder, spec, state, judged));
        }

        if (judged.Length == 0) judged = cells.SelectMany(c => c.Variants.Keys).FirstOrDefault() ?? "";
        cells = [.. cells.Select(c => c with { ModelErrors = ErrorsOf(c, judged) })];
        var objective = spec?.Objective;
        var (recommendation, why) = Recommend(cells, spec, objective);
        var frontier = FrontierOf(cells, judged);
        var fit = FitOf(cells);
        var description = spec is null ? "" : sweep.Description;
        return new SweepReport(folder, sweep, spec?.Axes ?? [], objective, judged, spec?.Model, cells, recommendation, why, frontier, fit, description)
        {
            Misses = MissesOf(cells, judged),
        };
    }

    private static SweepCellResult Cell(string folder, SweepSpec? spec, SweepCellState state, string judged)
    {
        var label = string.Join(", ", state.Values.Select(v => $"{v.Name}={v.Value}"));
        var variants = new Dictionary<string, IReadOnlyDictionary<string, MetricSpread>>(StringComparer.Ordinal);
        RunReport? report = null;
        if (state.Run is not null && Directory.Exists(Path.Combine(folder, state.Run)))
        {
            try
            {
                report = RunReport.Build(Path.Combine(folder, state.Run));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
            {
                return new SweepCellResult(state.Index, state.Id, label, state.Values, SweepRunner.Incomplete, $"its run could not be read: {ex.Message}", state.Run, variants, null, [], 0, 0, null);
            }
        }

        if (report is null)
        {
            return new SweepCellResult(state.Index, state.Id, label, state.Values, state.Status, state.Reason, state.Run, variants, null, [], 0, 0, state.Model);
        }

        if (judged.Length == 0 && report.Variants.Count > 0) judged = report.Variants[0].Name;
        var variant = judged;
        var keys = KeyMetrics.Concat(spec?.Objective is { } o ? [o.Metric, .. o.Constraints.SelectMany(c => CheckExpression.Parse(SweepObjective.Prefix(c, "v")).Metrics.Select(m => m.Key))] : []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var v in report.Variants)
        {
            variants[v.Name] = keys.ToDictionary(k => k, k => MetricSpread.Of(v[k]), StringComparer.Ordinal);
        }

        var judgedVariant = report.Variants.FirstOrDefault(v => v.Name == judged);
        double? objective = null;
        var constraints = new List<ConstraintResult>();
        int feasibleReps = 0, reps = judgedVariant?.Runs.Count ?? 0;
        List<double?> perRep = [];
        if (spec?.Objective is { } obj && judgedVariant is not null)
        {
            objective = judgedVariant.Median(obj.Metric);
            var parameters = report.Parameters;
            foreach (var text in obj.Constraints)
            {
                var check = SweepObjective.Bind(text, variant);
                var values = new ExpressionValues(m => judgedVariant.Median(m.Key), parameters);
                constraints.Add(Judge(text, check, values));
            }

            perRep = [.. judgedVariant.Runs.OrderBy(r => r.Summary.Repetition).Select(r => r.Summary.Complete
                && double.IsFinite(r.Summary[obj.Metric])
                && obj.Constraints.All(c => SweepObjective.Bind(c, variant).Evaluate(new ExpressionValues(m => r.Summary[m.Key], parameters)))
                    ? r.Summary[obj.Metric] : (double?)null)];
            feasibleReps = perRep.Count(v => v is not null);
        }

        var status = state.Status == SweepRunner.Complete && report.Variants.Any(v => !v.AllComplete) ? SweepRunner.Incomplete : state.Status;
        var reason = state.Reason ?? (status == SweepRunner.Incomplete ? "a variant run did not complete (see its run.json)" : null);
        return new SweepCellResult(state.Index, state.Id, label, state.Values, status, reason, state.Run, variants, objective, constraints, feasibleReps, reps, state.Model)
        {
            ClientLimited = [.. report.Variants.Where(v => v.AnyClientLimited).Select(v => v.Name)],
            PerRepetition = perRep,
            Parameters = report.Parameters,
        };
    }

    public static ConstraintResult Judge(string text, CheckExpression check, ExpressionValues values)
    {
        ArgumentNullException.ThrowIfNull(check);
        var left = check.Left.Evaluate(values);
        var right = check.Right.Evaluate(values);
        var held = double.IsFinite(left) && double.IsFinite(right) && check.Evaluate(values);
        // Room left, as a fraction of the bound: 0.3 = the value could be 30 % of the bound worse and still pass. A share
        // (0 to 1) held at its best value has all the room there is: share.ok >= 0.99 at 1 is not "1 % from failing".
        var share = check.Left is MetricNode { Metric.Group: "share" };
        var scale = share && check.Operator is ">" or ">=" ? Math.Max(1e-12, 1 - right)
            : Math.Abs(right) > 1e-12 ? Math.Abs(right) : 1;
        var slack = check.Operator switch
        {
            "<" or "<=" => (right - left) / scale,
            ">" or ">=" => (left - right) / scale,
            _ => double.NaN,
        };
        return new ConstraintResult(text, left, check.Operator, right, held, slack);
    }

    /// <summary>Objective values this close (a fraction of the best) count as a tie.</summary>
    public const double TieFraction = 0.01;

    private static double Room(SweepCellResult c) =>
        c.Constraints.Select(x => x.Slack).Where(double.IsFinite).DefaultIfEmpty(0).Min();

    public static (Recommendation? Recommendation, string? Why) Recommend(IReadOnlyList<SweepCellResult> cells, SweepSpec? spec, SweepObjective? objective)
    {
        if (spec is null || objective is null) return (null, "the sweep has no objective: every cell is shown, none is picked");
        var measured = cells.Where(c => c.Measured).ToList();
        if (measured.Count == 0) return (null, "no cell was measured completely");
        var feasible = measured.Where(c => c.Feasible).ToList();
        if (feasible.Count == 0)
        {
            var closest = measured.Where(c => c.Constraints.Count > 0).OrderByDescending(c => c.Constraints.Min(x => double.IsFinite(x.Slack) ? x.Slack : double.NegativeInfinity)).FirstOrDefault();
            return (null, closest is null
                ? "no measured cell met the constraints"
                : $"no measured cell met every constraint in every repetition; closest: {closest.Id} ({closest.Label}), where {string.Join("; ", closest.Constraints.Where(c => !c.Held).Select(c => $"{c.Constraint} was {RunReport.Format(c.Value)}"))}");
        }

        // Cells within 1 % of the best objective are a tie, not a ranking (a repetition would reorder them): among them
        // the one with the most room under its tightest constraint.
        var top = objective.Maximize ? feasible.Max(c => c.Objective!.Value) : feasible.Min(c => c.Objective!.Value);
        var tied = feasible.Where(c => Math.Abs(c.Objective!.Value - top) <= TieFraction * Math.Max(Math.Abs(top), 1e-12)).ToList();
        var best = tied.OrderByDescending(Room).ThenBy(c => c.Index).First();
        var ordered = (objective.Maximize ? feasible.OrderByDescending(c => c.Objective!.Value) : feasible.OrderBy(c => c.Objective!.Value)).ToList();
        var runnerUp = ordered.FirstOrDefault(c => c.Index != best.Index);
        var neighbours = Neighbours(cells, spec, best);
        var model = best.Model;
        // The constraints the prediction breaks, or null when it cannot be judged (no prediction, a metric the model does
        // not predict, a side that does not evaluate). The bounds are the recommended cell's own, with every parameter it
        // ran with: a bound such as maxWaitFactor * delayMs names parameters nobody swept (judged with the swept ones
        // alone, it read NaN and every prediction "broke" it, 754 ms against a bound of 2,000 ms).
        List<string>? Broken(IReadOnlyDictionary<string, double>? predicted)
        {
            if (predicted is null || objective.Constraints.Count == 0) return null;
            var bound = objective.Constraints.Select(c => (Text: c, Check: SweepObjective.Bind(c, "v"))).ToList();
            if (!bound.All(c => c.Check.Metrics.All(m => predicted.ContainsKey(m.Key)))) return null;
            var values = new ExpressionValues(m => predicted[m.Key], ParametersOf(best));
            if (!bound.All(c => double.IsFinite(c.Check.Left.Evaluate(values)) && double.IsFinite(c.Check.Right.Evaluate(values)))) return null;
            return [.. bound.Where(c => !c.Check.Evaluate(values)).Select(c => c.Text)];
        }

        var (brokenAtRate, brokenAtDelay) = (Broken(model?.AtDoubleRate), Broken(model?.AtDoubleDelay));
        // Stability of the choice: in how many repetitions, judged alone, the same cell (or one tied with it) comes out on top.
        var repetitions = measured.Max(c => c.PerRepetition.Count);
        var chosen = 0;
        for (var rep = 0; rep < repetitions; rep++)
        {
            var candidates = measured.Where(c => c.PerRepetition.Count > rep && c.PerRepetition[rep] is not null).Select(c => (c.Index, V: c.PerRepetition[rep]!.Value)).ToList();
            if (candidates.Count == 0) continue;
            var repTop = objective.Maximize ? candidates.Max(c => c.V) : candidates.Min(c => c.V);
            var repBest = candidates.Where(c => Math.Abs(c.V - repTop) <= TieFraction * Math.Max(Math.Abs(repTop), 1e-12)).Select(c => c.Index).ToHashSet();
            if (repBest.Contains(best.Index)) chosen++;
        }

        return (new Recommendation(best.Id, best.Label, best.Objective!.Value, best.Constraints, $"{best.FeasibleRepetitions}/{best.Repetitions}", neighbours,
            brokenAtRate is null ? null : brokenAtRate.Count == 0, brokenAtDelay is null ? null : brokenAtDelay.Count == 0, runnerUp is null ? null : $"{runnerUp.Id} ({runnerUp.Label}): {RunReport.Format(runnerUp.Objective!.Value)}")
        {
            Tied = [.. tied.Where(c => c.Index != best.Index).Select(c => c.Id)],
            Chosen = $"{chosen}/{repetitions}",
            BreaksAtDoubleRate = brokenAtRate ?? [],
            BreaksAtDoubleDelay = brokenAtDelay ?? [],
        }, null);
    }

    /// <summary>The cell's parameters (every one it ran with), its swept values over them, so a constraint naming either (queueLimit, delayMs) can be evaluated on the model.</summary>
    private static Dictionary<string, double> ParametersOf(SweepCellResult cell)
    {
        var parameters = new Dictionary<string, double>(cell.Parameters, StringComparer.Ordinal);
        foreach (var v in cell.Values)
        {
            if (double.TryParse(v.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)) parameters[v.Name] = x;
        }

        return parameters;
    }

    /// <summary>Cells one step away along one dimension (a zipped group is one dimension).</summary>
    private static List<Neighbour> Neighbours(IReadOnlyList<SweepCellResult> cells, SweepSpec spec, SweepCellResult best)
    {
        var dimensions = spec.Axes.Where(a => !spec.Zip.Any(g => g.Contains(a.Name) && g[0] != a.Name)).ToList();
        int Position(SweepCellResult c, SweepAxis a) => a.Values.ToList().IndexOf(c.Values.First(v => v.Name == a.Name).Value);
        var result = new List<Neighbour>();
        foreach (var c in cells.Where(c => c.Index != best.Index))
        {
            var differing = dimensions.Where(a => Position(c, a) != Position(best, a)).ToList();
            if (differing.Count != 1 || Math.Abs(Position(c, differing[0]) - Position(best, differing[0])) != 1) continue;
            var changed = $"{differing[0].Name} {best.Values.First(v => v.Name == differing[0].Name).Value} → {c.Values.First(v => v.Name == differing[0].Name).Value}";
            result.Add(new Neighbour(c.Id, c.Label, changed, c.Measured, c.Feasible, c.Measured ? c.Objective : null) { Status = c.Status });
        }

        return result;
    }

    /// <summary>Cells no other cell beats on both throughput (higher) and p99 with timeouts (lower).</summary>
    private static List<string> FrontierOf(List<SweepCellResult> cells, string variant)
    {
        var points = cells.Where(c => c.Measured)
            .Select(c => (c.Id, T: c.Metric(variant, "throughput.mean"), L: c.Metric(variant, "latencyWithTimeouts.p99")))
            .Where(p => double.IsFinite(p.T) && double.IsFinite(p.L)).ToList();
        return [.. points.Where(p => !points.Any(q => q.Id != p.Id && q.T >= p.T && q.L <= p.L && (q.T > p.T || q.L < p.L))).OrderByDescending(p => p.T).Select(p => p.Id)];
    }

    /// <summary>The model's error per metric it predicted for a measured cell, against the judged variant's medians.</summary>
    public static IReadOnlyList<CellModelError> ErrorsOf(SweepCellResult cell, string variant)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (!cell.Measured || cell.Model is null) return [];
        return [.. ModelMetrics
            .Select(m => (Metric: m, Predicted: cell.Model.Predicted.GetValueOrDefault(m, double.NaN), Measured: cell.Metric(variant, m)))
            .Where(x => double.IsFinite(x.Predicted) && double.IsFinite(x.Measured))
            .Select(x => new CellModelError(x.Metric, x.Measured, x.Predicted, ModelError.Of(x.Metric, x.Predicted, x.Measured)))];
    }

    /// <summary>Per metric over the measured cells: the median size of the error, and the worst with its cell.</summary>
    public static List<ModelFit> FitOf(IReadOnlyList<SweepCellResult> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var fit = new List<ModelFit>();
        foreach (var metric in ModelMetrics)
        {
            var errors = cells.Select(c => (Cell: c, E: c.ModelErrorOf(metric))).Where(e => e.E is not null).Select(e => (e.Cell, e.E!.Error)).ToList();
            if (errors.Count == 0) continue;
            var worst = errors.MaxBy(e => Math.Abs(e.Error));
            fit.Add(new ModelFit(metric, errors.Count, new Spread([.. errors.Select(e => Math.Abs(e.Error))]).Median, worst.Error, worst.Cell.Id, worst.Cell.Label));
        }

        return fit;
    }

    private static List<ModelMiss> MissesOf(List<SweepCellResult> cells, string variant)
    {
        var misses = new List<ModelMiss>();
        foreach (var c in cells)
        {
            foreach (var e in c.ModelErrors.Where(e => Math.Abs(e.Error) > MissRelative))
            {
                // What the server showed in that cell: the pool's own queue and threads, the backend connections, the limiter.
                var context = string.Join(", ", new[] { ("pool queue peaked at", "queue.max"), ("pool threads at most", "threads.max"), ("backend connections at most", "connections.max"), ("limiter queue at most", "limiterQueue.max") }
                    .Select(x => (x.Item1, V: c.Metric(variant, x.Item2))).Where(x => double.IsFinite(x.V)).Select(x => $"{x.Item1} {RunReport.Format(x.V)}"));
                misses.Add(new ModelMiss(c.Id, c.Label, e.Metric, e.Measured, e.Predicted, e.Error, context));
            }
        }

        return [.. misses.OrderByDescending(m => Math.Abs(m.Error))];
    }
}
