using System.Globalization;
using Lab.Client.Analysis;
using Lab.Client.Checks;
using Lab.Client.Scenarios;

namespace Lab.Client.Reports;

/// <summary>How a check came out: held, did not hold, or could not be judged (a variant it names did not complete, a value is missing).</summary>
public enum CheckOutcome
{
    Passed,
    Failed,
    Inconclusive,
}

/// <summary>
/// A check turned into a verdict: the expression, the measured values put in (medians over the repetitions),
/// how it came out, in how many repetitions it held, and the claim it bears on (null = every claim of the
/// scenario) and its qualification template, if it is one.
/// </summary>
public sealed record Verdict(
    string Expression, string Substituted, CheckOutcome Outcome, string? Problem, string? Claim = null, string? Qualifies = null,
    IReadOnlyList<bool?>? PerRepetition = null)
{
    /// <summary>A control: the experiment's own condition, not an effect of the claim.</summary>
    public bool Control { get; init; }

    public bool Passed => Outcome == CheckOutcome.Passed;

    /// <summary>Repetitions in which the check could be judged, and in how many it held.</summary>
    public int Judged => PerRepetition?.Count(r => r is not null) ?? (Outcome == CheckOutcome.Inconclusive ? 0 : 1);
    public int Held => PerRepetition?.Count(r => r == true) ?? (Passed ? 1 : 0);
    public int Repetitions => PerRepetition?.Count ?? 1;

    /// <summary>"3/3", shown beside every check when the scenario repeats.</summary>
    public string Stability => $"{Held}/{Repetitions}";
}

/// <summary>Everything a report shows, computed from a run folder: every variant run analysed, aggregated over repetitions, and the checks judged.</summary>
public sealed partial record RunReport(RunData Run, IReadOnlyList<VariantAggregate> Variants, IReadOnlyList<Verdict> Verdicts)
{
    public bool ChecksPassed => Verdicts.All(v => v.Passed);

    public int Repetitions => Variants.Count == 0 ? 0 : Variants.Max(v => v.Runs.Count);

    public IReadOnlyDictionary<string, double> Parameters => Run.Scenario.ParameterValues;

    /// <param name="folder">A run folder.</param>
    /// <param name="bucketS">The time series' interval; by default chosen from the run's length (<see cref="Analyzer.ChooseBucketS"/>).</param>
    public static RunReport Build(string folder, double? bucketS = null)
    {
        var run = RunData.Load(folder);
        var client = run.Scenario.Client;
        var span = Analyzer.SpanS(run, client);
        var bucket = bucketS ?? Analyzer.ChooseBucketS(span);
        var variants = run.Scenario.Variants
            .Select((v, i) => new VariantAggregate(v.Name, i, [.. run.Runs.Where(r => r.Name == v.Name).OrderBy(r => r.Repetition)
                .Select(r => Analyzer.Analyze(folder, r, bucket, client, span))]))
            .Where(v => v.Runs.Count > 0)
            .ToList();
        return new RunReport(run, variants, Judge(run, variants));
    }

    private static List<Verdict> Judge(RunData run, List<VariantAggregate> variants)
    {
        var byName = variants.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var parameters = run.Scenario.ParameterValues;
        var repetitions = variants.Count == 0 ? 1 : variants.Max(v => v.Runs.Count);
        var verdicts = new List<Verdict>();
        foreach (var c in run.Scenario.Checks)
        {
            CheckExpression check;
            try
            {
                check = CheckExpression.Parse(c.Check);
            }
            catch (FormatException ex)
            {
                verdicts.Add(new Verdict(c.Check, "", CheckOutcome.Inconclusive, $"malformed: {ex.Message}", c.Claim, c.Qualifies));
                continue;
            }

            var missing = check.Metrics.Where(m => !byName.ContainsKey(m.Variant)).Select(m => m.Variant).Distinct().ToList();
            if (missing.Count > 0)
            {
                verdicts.Add(new Verdict(c.Check, "", CheckOutcome.Inconclusive, $"variant {string.Join(", ", missing)} did not run", c.Claim, c.Qualifies));
                continue;
            }

            // Per repetition: judged only when every variant it names completed that repetition.
            var per = new List<bool?>();
            for (var rep = 1; rep <= repetitions; rep++)
            {
                var runs = check.Metrics.Select(m => m.Variant).Distinct()
                    .Select(n => byName[n].Runs.FirstOrDefault(r => r.Summary.Repetition == rep)?.Summary).ToList();
                if (runs.Any(r => r is null || !r.Complete))
                {
                    per.Add(null);
                    continue;
                }

                var values = new ExpressionValues(m => byName[m.Variant].Runs.First(r => r.Summary.Repetition == rep).Summary[m.Key], parameters);
                per.Add(check.Metrics.All(m => double.IsFinite(values.Metric(m))) ? check.Evaluate(values) : null);
            }

            var medians = new ExpressionValues(m => byName[m.Variant].Median(m.Key), parameters);
            var noData = check.Metrics.Where(m => !double.IsFinite(medians.Metric(m))).Select(m => m.ToString()).Distinct().ToList();
            var substituted = $"{Render(check.Left, medians)} {check.Operator} {Render(check.Right, medians)}  →  {Format(check.Left.Evaluate(medians))} {check.Operator} {Format(check.Right.Evaluate(medians))}";
            var judged = per.Count(p => p is not null);
            var incomplete = check.Metrics.Select(m => m.Variant).Distinct().Where(n => !byName[n].AllComplete).ToList();
            var (outcome, problem) = noData.Count > 0 ? (CheckOutcome.Inconclusive, $"no data for {string.Join(", ", noData)}")
                : judged == 0 ? (CheckOutcome.Inconclusive, $"not judged: {string.Join(", ", incomplete)} did not complete")
                : per.All(p => p != false) ? (CheckOutcome.Passed, (string?)null)
                : (CheckOutcome.Failed, (string?)null);
            verdicts.Add(new Verdict(c.Check, substituted, outcome, problem, c.Claim, c.Qualifies, per) { Control = c.Control });
        }

        return verdicts;
    }

    private static string Render(CheckNode node, ExpressionValues values) => node switch
    {
        NumberNode n => Format(n.Value),
        MetricNode m => Format(values.Metric(m.Metric)),
        ParameterNode p => Format(values.Parameters.GetValueOrDefault(p.Name, double.NaN)),
        BinaryNode { Left: NumberNode { Value: 0 }, Operator: '-' } b => $"−{Render(b.Right, values)}",
        BinaryNode b => $"{Wrap(b.Left, values)} {(b.Operator == '*' ? "×" : b.Operator.ToString())} {Wrap(b.Right, values)}",
        _ => "?",
    };

    private static string Wrap(CheckNode node, ExpressionValues values) =>
        node is BinaryNode { Operator: '+' or '-' } ? $"({Render(node, values)})" : Render(node, values);

    public static string Format(double v) => !double.IsFinite(v) ? "n/a"
        : Math.Abs(v) >= 100 ? v.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1 ? v.ToString("0.##", CultureInfo.InvariantCulture)
        : v.ToString("0.####", CultureInfo.InvariantCulture);
}
