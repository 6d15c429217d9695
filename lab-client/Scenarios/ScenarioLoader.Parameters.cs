using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Client.Checks;
using Lab.Client.Scenarios.Schema;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>
/// Parameters: read first (with <c>--set</c> overrides), then used by name in numbers and checks and as
/// <c>{name}</c> in texts. An unknown name, a placeholder with no value, a value of the wrong type or out of
/// range is an error naming where.
/// </summary>
public sealed partial class ScenarioLoader
{
    /// <summary>The CPUs of the machine the servers run on, for thresholds such as cap = 12 × cpus.</summary>
    public const string CpusParameter = "cpus";

    /// <summary>
    /// <c>{runtime}</c> in a text template (<c>measured</c>, <c>qualifies</c>): the .NET the server reported it ran on
    /// (".NET 10.0.12"), filled when the report is written, so a text never names a version that goes stale.
    /// </summary>
    public const string RuntimePlaceholder = "runtime";

    private readonly Dictionary<string, ScenarioParameter> _parameters = new(StringComparer.Ordinal);

    private Dictionary<string, double> ParameterValues => _parameters.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);

    private void Parameters(YamlMappingNode root)
    {
        var field = ScenarioSchema.Top["params"];
        var node = Child(root, "params");
        var declared = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        if (node is YamlMappingNode map)
        {
            if (map.Children.Count > field.MaxItems) Error(map, "params", $"{map.Children.Count} parameters", $"at most {field.MaxItems}");
            foreach (var (k, v) in map.Children)
            {
                if (KeyText(k, "params") is not { } name) continue;
                if (!Regex.IsMatch(name, field.KeyPattern!))
                {
                    Error(k, $"params.{Clip(name)}", $"\"{Clip(name)}\"", field.KeyPatternText!);
                }
                else if (name == CpusParameter)
                {
                    Error(k, $"params.{name}", "\"cpus\", which is built in", "another name (cpus is the servers' processor count)");
                }
                else if (name == RuntimePlaceholder)
                {
                    Error(k, $"params.{name}", "\"runtime\", which is built in", "another name ({runtime} in a text is the .NET the server ran on)");
                }
                else
                {
                    declared[name] = (k, v);
                }
            }
        }
        else if (node is not null)
        {
            Error(node, "params", Found(node), "a mapping of parameters, e.g. { delayMs: 500, calls: 3 }");
        }

        foreach (var (name, _) in _overrides)
        {
            if (!declared.ContainsKey(name))
            {
                Error(node ?? root, $"params.{Clip(name)}", $"--set {Clip(name)}=…, but the scenario declares no parameter \"{Clip(name)}\"",
                    declared.Count == 0 ? "a scenario with a params section" : $"one of {string.Join(", ", declared.Keys)}");
            }
        }

        _parameters[CpusParameter] = new ScenarioParameter(CpusParameter, _processorCount, ScenarioParameter.BuiltIn, "CPUs", "processor count of the server machine", WholeNumber: true);
        foreach (var (name, (_, value)) in declared)
        {
            if (Parameter(name, value) is { } p) _parameters[name] = p;
        }
    }

    private ScenarioParameter? Parameter(string name, YamlNode node)
    {
        var path = $"params.{name}";
        var section = ScenarioSchema.Parameter;
        double? value, min = null, max = null;
        var integer = false;
        string? description = null;
        if (node is YamlMappingNode full)
        {
            Keys(full, path, section);
            value = PlainNumber(full, "value", path, required: true);
            min = PlainNumber(full, "min", path, required: false);
            max = PlainNumber(full, "max", path, required: false);
            integer = Flag(full, section["integer"], path) ?? false;
            description = Child(full, "description") is { } d ? Scalar(d, section["description"], $"{path}.description") : null;
            if (min > max) Error(full, path, $"min {Fmt(min!.Value)} above max {Fmt(max!.Value)}", "min <= max");
        }
        else if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            value = v;
        }
        else
        {
            Error(node, path, Found(node), "a number, or { value, min, max, integer, description }");
            return null;
        }

        if (value is null) return null;
        var origin = ScenarioParameter.FromFile;
        if (_overrides.TryGetValue(name, out var overridden))
        {
            if (!double.TryParse(overridden, NumberStyles.Float, CultureInfo.InvariantCulture, out var o) || !double.IsFinite(o))
            {
                // Keep the file's value so the rest of the file is still checked without cascading errors.
                Error(node, path, $"--set {name}=\"{Clip(overridden)}\"", "a number");
                return new ScenarioParameter(name, value.Value, origin, UnitOf(name), description, min, max, integer);
            }

            value = o;
            origin = ScenarioParameter.FromSet;
        }

        var source = origin == ScenarioParameter.FromSet ? $"--set {name}={Fmt(value.Value)}" : Fmt(value.Value);
        if (_scale != 1 && IsScaledDuration(name))
        {
            // --scale: a duration shortened below its declared minimum stops at the minimum.
            value = Math.Max(min ?? double.NegativeInfinity, Math.Round(value.Value * _scale, 3));
            origin = $"{origin} ×{Fmt(_scale)}";
        }
        if (integer && value != Math.Floor(value.Value))
        {
            Error(node, path, source, "a whole number");
        }
        else if (value < min || value > max)
        {
            Error(node, path, source, $"a number from {Fmt(min ?? double.NegativeInfinity)} to {Fmt(max ?? double.PositiveInfinity)}");
        }

        return new ScenarioParameter(name, value.Value, origin, UnitOf(name), description, min, max, integer);
    }

    private double? PlainNumber(YamlMappingNode map, string key, string path, bool required)
    {
        if (Child(map, key) is not { } node)
        {
            if (required) Missing(map, Join(path, key), "a number");
            return null;
        }

        if (node is YamlScalarNode { Value: { } t } && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        Error(node, Join(path, key), Found(node), "a number");
        return null;
    }

    /// <summary>A duration that <c>--scale</c> lengthens or shortens: unit s, and not a timeout (a timeout is a bound, not the experiment's length).</summary>
    public static bool IsScaledDuration(string name) =>
        UnitOf(name) == "s" && !name.Contains("timeout", StringComparison.OrdinalIgnoreCase) && !name.Contains("drain", StringComparison.OrdinalIgnoreCase);

    /// <summary>The unit a parameter's name carries, the lab's naming rule for every key: delayMs, burstS, ratePerS.</summary>
    public static string? UnitOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith("PerS", StringComparison.Ordinal) ? "/s"
            : name.EndsWith("Ms", StringComparison.Ordinal) ? "ms"
            : name.EndsWith("Kb", StringComparison.Ordinal) ? "KB"
            : name.EndsWith("Mb", StringComparison.Ordinal) ? "MB"
            : name.Length > 1 && name.EndsWith('S') && char.IsLower(name[^2]) ? "s"
            : null;
    }

    /// <summary>An arithmetic expression over parameters in a number field; metrics have no value at load time.</summary>
    private double? Evaluate(YamlNode node, string path, string text, Field field)
    {
        CheckNode expression;
        try
        {
            expression = CheckExpression.ParseArithmetic(text);
        }
        catch (FormatException)
        {
            Error(node, path, $"\"{Clip(text)}\"", $"{field.Expected}, or an expression over this scenario's parameters ({string.Join(", ", _parameters.Keys)}) such as 2 * cpus");
            return null;
        }

        if (expression.Metrics.FirstOrDefault() is { } metric)
        {
            Error(node, path, $"metric {metric} in \"{Clip(text)}\"", "a number or an expression over parameters (metrics exist only after a run)");
            return null;
        }

        var unknown = expression.Parameters.Where(p => !_parameters.ContainsKey(p)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            var found = expression is ParameterNode ? $"\"{Clip(text)}\"" : $"unknown parameter \"{string.Join("\", \"", unknown.Select(Clip))}\" in \"{Clip(text)}\"";
            Error(node, path, found, $"{field.Expected}, or an expression over this scenario's parameters ({string.Join(", ", _parameters.Keys)}); declare a new one under params:");
            return null;
        }

        return expression.Evaluate(ExpressionValues.ParametersOnly(ParameterValues));
    }

    /// <summary>
    /// Fills the <c>{= expression}</c> placeholders of an already substituted text that need only parameters (a text
    /// shown before anything ran, such as a sweep's description); those naming metrics stay as they are.
    /// </summary>
    public static string FillFormulas(string text, IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PlaceholderPattern().Replace(text, m =>
        {
            var inner = m.Groups[1].Value.Trim();
            if (!inner.StartsWith('=')) return m.Value;
            try
            {
                var node = CheckExpression.ParseArithmetic(inner[1..]);
                return node.Metrics.Any() ? m.Value : Reports.RunReport.Format(node.Evaluate(ExpressionValues.ParametersOnly(parameters)));
            }
            catch (FormatException)
            {
                return m.Value;
            }
        });
    }

    /// <summary>
    /// Fills <c>{name}</c> placeholders of a text with parameter values (<c>{name:x}</c> in hexadecimal, for the
    /// runtime's hex-valued environment variables); metric placeholders (<c>{a.b.c}</c>) and expressions
    /// (<c>{= …}</c>) stay for the report.
    /// </summary>
    /// <remarks>In a text template (measured, qualifies; <paramref name="template"/>) <c>{runtime}</c> stays for the report too.</remarks>
    private string? Substitute(YamlNode node, string path, string text, bool template = false)
    {
        var ok = true;
        var filled = PlaceholderPattern().Replace(text, m =>
        {
            var inner = m.Groups[1].Value.Trim();
            if (inner.StartsWith('=') || inner.Contains('.', StringComparison.Ordinal) || (template && inner == RuntimePlaceholder)) return m.Value;
            var hex = inner.EndsWith(":x", StringComparison.Ordinal);
            var name = hex ? inner[..^2] : inner;
            if (_parameters.TryGetValue(name, out var p))
            {
                return !hex ? p.Text
                    : p.Value >= 0 && p.Value == Math.Floor(p.Value) && p.Value <= long.MaxValue ? ((long)p.Value).ToString("x", CultureInfo.InvariantCulture)
                    : m.Value;
            }

            ok = !Error(node, path, $"placeholder {{{Clip(inner)}}} with no value", ParametersExpected());
            return m.Value;
        });
        return ok ? filled : null;
    }

    /// <summary>
    /// <c>requires:</c> — conditions on the parameters that make the experiment test its claim, checked now, so a
    /// <c>--set</c> that would not create the condition is an error before anything runs.
    /// </summary>
    private List<string> Requirements(YamlMappingNode root)
    {
        var field = ScenarioSchema.Top["requires"];
        var requirements = new List<string>();
        if (Child(root, "requires") is not { } node) return requirements;
        if (node is not YamlSequenceNode list)
        {
            Error(node, "requires", Found(node), "a list of conditions over parameters, e.g. - ratePerS * delayMs / 1000 > maxThreads");
            return requirements;
        }

        if (!Count(list, field, "requires")) return requirements;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"requires[{i}]";
            if (Scalar(list.Children[i], field.Item!, path) is not { } text) continue;
            CheckExpression condition;
            try
            {
                condition = CheckExpression.Parse(text);
            }
            catch (FormatException ex)
            {
                Error(list.Children[i], path, $"\"{Clip(text)}\" — {ex.Message}", "a comparison over parameters such as ratePerS * delayMs / 1000 > maxThreads");
                continue;
            }

            if (condition.Metrics.FirstOrDefault() is { } metric)
            {
                Error(list.Children[i], path, $"metric {metric}", "a condition over parameters only (metrics exist only after a run; put it under checks:)");
                continue;
            }

            var unknown = condition.Parameters.Where(p => !_parameters.ContainsKey(p)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                Error(list.Children[i], path, $"unknown parameter \"{string.Join("\", \"", unknown)}\" in \"{Clip(text)}\"", ParametersExpected());
                continue;
            }

            var values = ExpressionValues.ParametersOnly(ParameterValues);
            if (!condition.Evaluate(values))
            {
                var set = _parameters.Values.Where(p => p.Origin == ScenarioParameter.FromSet).Select(p => $"{p.Name}={p.Text}").ToList();
                Error(list.Children[i], path,
                    $"\"{text}\" false with these parameters ({Fmt(condition.Left.Evaluate(values))} {condition.Operator} {Fmt(condition.Right.Evaluate(values))}{(set.Count > 0 ? $"; --set {string.Join(", ", set)}" : "")})",
                    "parameters that create the condition the experiment needs to test its claim");
                continue;
            }

            requirements.Add(text);
        }

        return requirements;
    }

    private string ParametersExpected() =>
        $"a parameter of this scenario ({string.Join(", ", _parameters.Keys)}); declare it under params:";

    [GeneratedRegex(@"\{([^{}]+)\}")]
    public static partial Regex PlaceholderPattern();
}
