using Lab.Client.Analysis;
using Lab.Client.Checks;
using Lab.Client.Scenarios;
using System.Text.Json.Nodes;

namespace Lab.Client.Reports;

/// <summary>One variant's data, time series and summary.</summary>
public sealed record VariantReport(VariantData Data, IReadOnlyList<IntervalRow> Intervals, VariantSummary Summary);

/// <summary>
/// A check turned into a verdict: the expression, the measured values put in, pass or fail; and the claim
/// it bears on (null = every claim of the scenario) and its qualification template, if it is one.
/// </summary>
public sealed record Verdict(string Expression, string Substituted, bool Passed, string? Problem, string? Claim = null, string? Qualifies = null);

/// <summary>Everything a report shows, computed from a run folder.</summary>
public sealed record RunReport(RunData Run, IReadOnlyList<VariantReport> Variants, IReadOnlyList<Verdict> Verdicts)
{
    public bool ChecksPassed => Verdicts.All(v => v.Passed);

    public static RunReport Build(string folder, double intervalS = 1)
    {
        var run = RunData.Load(folder);
        var variants = run.Variants.Select(v =>
        {
            var rows = Analyzer.Intervals(v, intervalS);
            return new VariantReport(v, rows, Analyzer.Summarize(v, rows));
        }).ToList();
        return new RunReport(run, variants, Judge(run, variants));
    }

    private static List<Verdict> Judge(RunData run, List<VariantReport> variants)
    {
        // Checks are recorded as text (older runs) or as { check, claim, qualifies }.
        var checks = run.Manifest["scenario"]?["resolved"]?["checks"]?.AsArray()
            .Select(c => c is JsonValue ? ((string)c!, (string?)null, (string?)null) : ((string)c!["check"]!, (string?)c["claim"], (string?)c["qualifies"]))
            .ToList() ?? [];
        var byName = variants.ToDictionary(v => v.Data.Name, v => v.Summary, StringComparer.Ordinal);
        var verdicts = new List<Verdict>();
        foreach (var (text, claim, qualifies) in checks)
        {
            CheckExpression check;
            try
            {
                check = CheckExpression.Parse(text);
            }
            catch (FormatException ex)
            {
                verdicts.Add(new Verdict(text, "", false, $"malformed: {ex.Message}", claim, qualifies));
                continue;
            }

            var missing = check.Metrics.Where(m => !byName.ContainsKey(m.Variant)).Select(m => m.Variant).Distinct().ToList();
            if (missing.Count > 0)
            {
                verdicts.Add(new Verdict(text, "", false, $"variant {string.Join(", ", missing)} did not run", claim, qualifies));
                continue;
            }

            double Value(MetricRef m) => byName[m.Variant][$"{m.Group}.{m.Stat}"];
            var noData = check.Metrics.Where(m => !double.IsFinite(Value(m))).Select(m => m.ToString()).Distinct().ToList();
            var substituted = $"{Render(check.Left, Value)} {check.Operator} {Render(check.Right, Value)}  →  {Format(check.Left.Evaluate(Value))} {check.Operator} {Format(check.Right.Evaluate(Value))}";
            verdicts.Add(noData.Count > 0
                ? new Verdict(text, substituted, false, $"no data for {string.Join(", ", noData)}", claim, qualifies)
                : new Verdict(text, substituted, check.Evaluate(Value), null, claim, qualifies));
        }

        return verdicts;
    }

    private static string Render(CheckNode node, Func<MetricRef, double> value) => node switch
    {
        NumberNode n => Format(n.Value),
        MetricNode m => Format(value(m.Metric)),
        BinaryNode { Left: NumberNode { Value: 0 }, Operator: '-' } b => $"−{Render(b.Right, value)}",
        BinaryNode b => $"{Wrap(b.Left, value)} {(b.Operator == '*' ? "×" : b.Operator.ToString())} {Wrap(b.Right, value)}",
        _ => "?",
    };

    private static string Wrap(CheckNode node, Func<MetricRef, double> value) =>
        node is BinaryNode { Operator: '+' or '-' } ? $"({Render(node, value)})" : Render(node, value);

    /// <summary>Fills <c>{variant.group.stat}</c> placeholders with this run's measured values.</summary>
    public string Fill(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return ScenarioLoader.PlaceholderPattern().Replace(template, m =>
        {
            var parts = m.Groups[1].Value.Split('.');
            var v = parts.Length == 3 ? Variants.FirstOrDefault(x => x.Data.Name == parts[0])?.Summary[$"{parts[1]}.{parts[2]}"] : null;
            return v is { } value ? Format(value) : "n/a";
        });
    }

    public static string Format(double v) => !double.IsFinite(v) ? "n/a"
        : Math.Abs(v) >= 100 ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1 ? v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)
        : v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
