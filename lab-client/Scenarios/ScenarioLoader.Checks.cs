using System.Text.RegularExpressions;
using Lab.Client.Checks;
using Lab.Client.Scenarios.Schema;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>Checks, evidence and text templates: expressions parsed and bounded, every metric, variant and parameter they name checked, no bare numbers in texts.</summary>
public sealed partial class ScenarioLoader
{
    private (List<CheckExpression> Checks, List<CheckRole> Roles) Checks(YamlMappingNode root, List<string> claims)
    {
        var field = ScenarioSchema.Top["checks"];
        var section = ScenarioSchema.CheckItem;
        var checks = new List<CheckExpression>();
        var roles = new List<CheckRole>();
        if (Child(root, "checks") is not { } node) return (checks, roles);
        if (node is not YamlSequenceNode list)
        {
            Error(node, "checks", Found(node), "a list of checks such as - sync.latency.p99 > 5 * async.latency.p99");
            return (checks, roles);
        }

        if (!Count(list, field, "checks")) return (checks, roles);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"checks[{i}]";
            var item = list.Children[i];
            string? claim = null, qualifies = null;
            var control = false;
            YamlNode textNode = item;
            if (item is YamlMappingNode map)
            {
                Keys(map, path, section);
                if (Child(map, "check") is not { } c)
                {
                    Missing(map, $"{path}.check", "the check itself, e.g. check: sync.latency.p99 > 5 * async.latency.p99");
                    continue;
                }

                textNode = c;
                claim = Text(map, section["claim"], path);
                if (claim is not null && !claims.Contains(claim))
                {
                    Error(Child(map, "claim")!, $"{path}.claim", $"\"{claim}\"",
                        claims.Count == 0 ? "no claim: this scenario tests none (add it to claims:)" : $"one of this scenario's claims: {string.Join(", ", claims)}");
                }

                qualifies = Text(map, section["qualifies"], path);
                if (qualifies is not null) Template(Child(map, "qualifies")!, $"{path}.qualifies", qualifies);
                control = Flag(map, section["control"], path) ?? false;
                if (control && qualifies is not null)
                {
                    Error(Child(map, "control")!, $"{path}.control", "a control that also qualifies", "either control: true (the experiment's own condition) or qualifies: (a qualification), not both");
                }
            }

            if (textNode is not YamlScalarNode { Value: { } text })
            {
                Error(textNode, path, Found(textNode), "a check as text, e.g. sync.latency.p99 > 5 * async.latency.p99");
                continue;
            }

            CheckExpression check;
            try
            {
                check = CheckExpression.Parse(text);
            }
            catch (FormatException ex)
            {
                Error(textNode, path, $"\"{Clip(text)}\" — {ex.Message}", "a check such as sync.latency.p99 > 5 * async.latency.p99");
                continue;
            }

            var metricsOk = check.Metrics.All(m => Metric(textNode, path, m, $" in \"{Clip(text)}\""));
            var unknown = check.Parameters.Where(p => !_parameters.ContainsKey(p)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                Error(textNode, path, $"unknown parameter \"{string.Join("\", \"", unknown)}\" in \"{Clip(text)}\"", ParametersExpected());
            }

            if (metricsOk && unknown.Count == 0)
            {
                checks.Add(check);
                roles.Add(new CheckRole(claim, qualifies) { Control = control });
            }
        }

        return (checks, roles);
    }

    private Dictionary<string, ClaimEvidence> Evidence(YamlMappingNode root, List<string> claims)
    {
        var section = ScenarioSchema.Evidence;
        var evidence = new Dictionary<string, ClaimEvidence>(StringComparer.Ordinal);
        if (Child(root, "evidence") is not { } node) return evidence;
        if (node is not YamlMappingNode map)
        {
            Error(node, "evidence", Found(node), "a mapping from claim id to { measured, chart }");
            return evidence;
        }

        foreach (var (k, v) in map.Children)
        {
            if (KeyText(k, "evidence") is not { } claim) continue;
            var path = $"evidence.{Clip(claim)}";
            if (!claims.Contains(claim))
            {
                Error(k, path, $"\"{Clip(claim)}\"", claims.Count == 0 ? "no evidence: this scenario tests no claim" : $"one of this scenario's claims: {string.Join(", ", claims)}");
                continue;
            }

            if (v is not YamlMappingNode e)
            {
                Error(v, path, Found(v), "a mapping { measured, chart }");
                continue;
            }

            Keys(e, path, section);
            var measured = Text(e, section["measured"], path);
            if (measured is not null) Template(Child(e, "measured")!, $"{path}.measured", measured);
            var chart = Child(e, "chart") is { } chartNode && chartNode is YamlScalarNode { Value: { } c } ? c.Trim() : "latency";
            if (Child(e, "chart") is { } cn && !section["chart"].Choices!.Contains(chart)
                && !(chart.StartsWith("outcomes-", StringComparison.Ordinal) && _declaredVariants.Contains(chart["outcomes-".Length..])))
            {
                Error(cn, $"{path}.chart", Found(cn), $"a chart of the report: {string.Join(", ", section["chart"].Choices!)} or outcomes-<variant>");
            }

            if (measured is not null) evidence[claim] = new ClaimEvidence(measured, chart);
        }

        return evidence;
    }

    /// <summary>
    /// Checks every <c>{variant.group.stat}</c> placeholder of a text template (parameters are already filled),
    /// and that no number is written into it: a number in prose goes stale the moment a parameter changes.
    /// </summary>
    private void Template(YamlNode node, string path, string template)
    {
        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            if (m.Groups[1].Value.TrimStart().StartsWith('='))
            {
                Formula(node, path, m.Groups[1].Value.TrimStart()[1..]);
                continue;
            }

            if (m.Groups[1].Value.Trim() == RuntimePlaceholder) continue;
            var parts = m.Groups[1].Value.Split('.');
            if (parts.Length is not (3 or 4))
            {
                Error(node, path, $"placeholder \"{{{Clip(m.Groups[1].Value)}}}\"", "{variant.group.stat}, e.g. {sync.latency.p99}, {parameter}, or {runtime}");
                continue;
            }

            var metric = parts.Length == 3 ? new MetricRef(parts[0], parts[1], parts[2]) : new MetricRef(parts[0], parts[2], parts[3], parts[1]);
            Metric(node, path, metric, $" in placeholder {{{m.Groups[1].Value}}}");
        }

        // The raw text, before parameters were filled: a parameter's value in it is fine, a typed number is not.
        var raw = node is YamlScalarNode { Value: { } r } ? r : template;
        if (BareNumber(raw) is { } bare)
        {
            Error(node, path, $"the bare number \"{bare}\" in the text",
                "a {parameter} or {variant.group.stat} placeholder instead (a number typed into prose goes stale when a parameter changes; names with digits such as p99, HTTP 503, .NET 10, C15 are fine)");
        }
    }

    /// <summary><c>timings:</c> — the Server-Timing metric names checks and texts may use as <c>timing_&lt;name&gt;</c>.</summary>
    private List<string> Timings(YamlMappingNode root)
    {
        var field = ScenarioSchema.Top["timings"];
        var names = new List<string>();
        if (Child(root, "timings") is not { } node) return names;
        if (node is not YamlSequenceNode list)
        {
            Error(node, "timings", Found(node), "a list of Server-Timing metric names, e.g. [begin, complete]");
            return names;
        }

        if (!Count(list, field, "timings")) return names;
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Scalar(list.Children[i], field.Item!, $"timings[{i}]") is { } name && !names.Contains(name)) names.Add(name);
        }

        return names;
    }

    /// <summary><c>{= expression}</c> in a text: arithmetic over parameters and metrics, evaluated when the report is written.</summary>
    private void Formula(YamlNode node, string path, string expression)
    {
        CheckNode formula;
        try
        {
            formula = CheckExpression.ParseArithmetic(expression);
        }
        catch (FormatException ex)
        {
            Error(node, path, $"placeholder {{={Clip(expression)}}} — {ex.Message}", "{= arithmetic over parameters and metrics}, e.g. {= capPerCpu * cpus * 1000 / delayMs}");
            return;
        }

        foreach (var m in formula.Metrics) Metric(node, path, m, $" in placeholder {{={Clip(expression)}}}");
        var unknown = formula.Parameters.Where(p => !_parameters.ContainsKey(p)).Distinct().ToList();
        if (unknown.Count > 0) Error(node, path, $"unknown parameter \"{string.Join("\", \"", unknown)}\" in placeholder {{={Clip(expression)}}}", ParametersExpected());
    }

    /// <summary>
    /// The <c>{= expression}</c> placeholders of a text shown before anything ran (the scenario's description): filled
    /// from parameters when the scenario loads, so each must parse within the expression limits, name only known
    /// parameters and no metric, and give a finite number; otherwise the text would reach the report raw.
    /// </summary>
    private void DescriptionFormulas(YamlNode node, string path, string text)
    {
        foreach (Match m in PlaceholderPattern().Matches(text))
        {
            var inner = m.Groups[1].Value.TrimStart();
            if (!inner.StartsWith('=')) continue;
            var expression = inner[1..];
            var before = _errors.Count + _suppressed;
            Formula(node, path, expression);
            if (_errors.Count + _suppressed != before) continue;
            var formula = CheckExpression.ParseArithmetic(expression);
            if (formula.Metrics.FirstOrDefault() is { } metric)
            {
                Error(node, path, $"metric {metric} in placeholder {{={Clip(expression)}}}",
                    "a formula over parameters only (the description is shown before anything ran; put measured values in evidence.<claim>.measured)");
                continue;
            }

            var value = formula.Evaluate(ExpressionValues.ParametersOnly(ParameterValues));
            if (!double.IsFinite(value))
            {
                Error(node, path, $"placeholder {{={Clip(expression)}}}, which is {Fmt(value)} with these parameters", "a formula that gives a finite number");
            }
        }
    }

    /// <summary>The first number in <paramref name="text"/> outside placeholders that is not part of a name (p99, 5xx, C15, HTTP 503, .NET 10, HTTP/1.1).</summary>
    public static string? BareNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var outside = PlaceholderPattern().Replace(text, " ");
        foreach (Match m in BareNumberPattern().Matches(outside))
        {
            var before = outside[..m.Index].TrimEnd();
            if (before.EndsWith("HTTP", StringComparison.Ordinal) || before.EndsWith(".NET", StringComparison.Ordinal)) continue;
            return m.Value;
        }

        return null;
    }

    private bool Metric(YamlNode node, string path, MetricRef m, string where)
    {
        if (!_declaredVariants.Contains(m.Variant))
        {
            return !Error(node, path, $"variant \"{Clip(m.Variant)}\"{where}", $"one of this scenario's variants: {string.Join(", ", _declaredVariants)}");
        }

        if (!MetricCatalog.IsKnown(m, _timings))
        {
            return !Error(node, path, $"unknown metric \"{Clip(m.Key)}\"{where}", $"one of {MetricCatalog.Describe()}");
        }

        return true;
    }

    // A digit run not glued to a letter, digit, '_', '.', '/', '-' or '#' on either side (so p99, 5xx, C15, x64, HTTP/1.1, v2.0 are names).
    [GeneratedRegex(@"(?<![\p{L}\p{N}_./#-])\d+(?:[.,]\d+)*(?![\p{L}\p{N}_/#-])")]
    private static partial Regex BareNumberPattern();
}
