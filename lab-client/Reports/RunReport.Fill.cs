using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lab.Client.Analysis;
using Lab.Client.Checks;
using Lab.Client.Scenarios;

namespace Lab.Client.Reports;

/// <summary>
/// Text templates filled from what ran: each number is the median over the repetitions, with its [min–max] when
/// they differed; a latency the client's timeout cut off says so instead of showing the timeout as if it were
/// measured; <c>{runtime}</c> is the .NET the server reported.
/// </summary>
public sealed partial record RunReport
{
    /// <summary>Latency groups whose requests can time out at the client: their percentiles can be censored by the timeout.</summary>
    private static readonly string[] s_latencyGroups = ["latency", "latencyWithTimeouts", "serviceTime"];

    /// <summary>
    /// Fills a text template: <c>{variant.group.stat}</c> with this run's median (and [min–max] over repetitions
    /// that differed), <c>{param}</c> with the parameter's value, <c>{= expression}</c> with arithmetic over both,
    /// <c>{runtime}</c> with the server's .NET (texts in run.json already have parameters filled; older templates may not).
    /// A latency the timeouts alone reach reads "&gt; 8 s (95 % timed out)", and the " ms" after it in the template goes.
    /// </summary>
    public string Fill(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return PlaceholderWithUnit().Replace(template, m =>
        {
            var unit = m.Groups[2].Value;
            var inner = m.Groups[1].Value.Trim();
            if (inner.StartsWith('=')) return FillFormula(inner[1..]) + unit;
            var parts = inner.Split('.');
            if (parts.Length == 1)
            {
                return inner == ScenarioLoader.RuntimePlaceholder ? Runtime + unit
                    : Parameters.TryGetValue(parts[0], out var p) ? Format(p) + unit
                    : m.Value;
            }

            var variant = Variants.FirstOrDefault(x => x.Name == parts[0]);
            if (variant is null || parts.Length is not (3 or 4)) return "n/a" + unit;
            var key = string.Join('.', parts[1..]);
            return Censored(variant, key) is { } censored ? censored : WithRange(variant[key]) + unit;
        });
    }

    /// <summary>
    /// The .NET the server ran on, as it reported it (".NET 10.0.12"); the client's for an older run whose server
    /// did not say; for a foreign target, which reports nothing, "the target's runtime".
    /// </summary>
    public string Runtime =>
        Run.Runs.Select(r => r.Run.Server.Info?["runtime"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null).FirstOrDefault(t => t is not null)
        ?? (Run.Scenario.Target is null ? Run.Manifest.Machine.Runtime : "the target's runtime");

    /// <summary>"41" for one value or repetitions that agree (as printed); "41 [10–41]" when they differed; "n/a" for none.</summary>
    public static string WithRange(Spread spread)
    {
        ArgumentNullException.ThrowIfNull(spread);
        if (spread.N == 0) return "n/a";
        var median = Format(spread.Median);
        if (spread.N < 2) return median;
        var (min, max) = (Format(spread.Min), Format(spread.Max));
        return min == max ? median : $"{median} [{min}–{max}]";
    }

    /// <summary>
    /// A latency the client's timeout cut off, in words: "&gt; 15 s (92 % timed out)" when the timeouts alone reach
    /// the percentile (for an answered-only metric also what the answered ones took); a mean that counts timeouts at
    /// the timeout is a lower bound, "≥ 9120 ms (40 % timed out at 15 s)". Null when the value is a measurement.
    /// </summary>
    public static string? Censored(VariantAggregate v, string key)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(key);
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !s_latencyGroups.Contains(key[..dot])) return null;
        var (group, stat) = (key[..dot], key[(dot + 1)..]);
        var share = v.Median("share.timeout");
        if (!(share > 0)) return null;
        var pct = (share * 100).ToString(share < 0.01 ? "0.##" : "0", CultureInfo.InvariantCulture);
        var timeout = Format(v.First.TimeoutS);
        if (stat == "mean")
        {
            return group == "latencyWithTimeouts" ? $"≥ {WithRange(v[key])} ms ({pct} % timed out at {timeout} s)" : null;
        }

        var p = stat switch
        {
            "p50" => 0.50,
            "p90" => 0.90,
            "p95" => 0.95,
            "p99" => 0.99,
            "p999" => 0.999,
            _ => 1.0,
        };
        if (share < 1 - p - 1e-12) return null;
        return group == "latencyWithTimeouts"
            ? $"> {timeout} s ({pct} % timed out)"
            : $"> {timeout} s ({pct} % timed out; answered: {(v[key].N == 0 ? "none" : WithRange(v[key]) + " ms")})";
    }

    /// <summary>
    /// <c>{= expression}</c>: evaluated on the medians, with the [min–max] of its value repetition by repetition
    /// when it names metrics and the repetitions differed.
    /// </summary>
    private string FillFormula(string expression)
    {
        CheckNode node;
        try
        {
            node = CheckExpression.ParseArithmetic(expression);
        }
        catch (FormatException)
        {
            return "n/a";
        }

        var medians = new ExpressionValues(x => Variants.FirstOrDefault(v => v.Name == x.Variant)?.Median(x.Key) ?? double.NaN, Parameters);
        var value = Format(node.Evaluate(medians));
        if (!node.Metrics.Any() || Repetitions < 2) return value;
        var perRepetition = new List<double>();
        for (var rep = 1; rep <= Repetitions; rep++)
        {
            var r = rep;
            var values = new ExpressionValues(x => Variants.FirstOrDefault(v => v.Name == x.Variant)?.Counted.FirstOrDefault(c => c.Summary.Repetition == r)?.Summary[x.Key] ?? double.NaN, Parameters);
            perRepetition.Add(node.Evaluate(values));
        }

        var spread = new Spread(perRepetition);
        if (spread.N < 2) return value;
        var (min, max) = (Format(spread.Min), Format(spread.Max));
        return min == max ? value : $"{value} [{min}–{max}]";
    }

    /// <summary>A placeholder, and the " ms" that follows it in the text (dropped when the value is a censored latency in words).</summary>
    [GeneratedRegex(@"\{([^{}]+)\}( ms\b)?")]
    private static partial Regex PlaceholderWithUnit();
}
