using System.Globalization;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// Writes one collection of OpenTelemetry metrics in the Prometheus text format, version 0.0.4
/// (prometheus/docs exposition_formats.md): a <c># HELP</c> and a <c># TYPE</c> line per family, then its
/// samples, each family in one contiguous group; histograms as cumulative <c>_bucket</c> lines ending in
/// <c>le="+Inf"</c> (equal to <c>_count</c>), then <c>_sum</c> and <c>_count</c>; every line ends in <c>\n</c>.
/// Output is sorted (families by name, series by labels) so two scrapes diff cleanly. A metric that
/// would clash with a family already written (another type, or the same series twice) is left out with
/// a comment saying so, never written twice.
/// </summary>
public sealed class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly SortedDictionary<string, Family> _families = new(StringComparer.Ordinal);
    private readonly List<string> _skipped = [];

    /// <summary>Adds every point of <paramref name="metric"/>; call once per metric of a collection.</summary>
    public void Add(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (PrometheusNaming.TypeOf(metric) is not { } type)
        {
            _skipped.Add($"{metric.Name} ({metric.MetricType}): no Prometheus mapping");
            return;
        }

        var name = PrometheusNaming.FamilyName(metric.Name, metric.Unit, type);
        if (!_families.TryGetValue(name, out var family))
        {
            family = new Family(name, type, Help(metric, type));
            _families.Add(name, family);
        }
        else if (family.Type != type)
        {
            _skipped.Add($"{metric.Name} from {metric.MeterName}: {name} is already a {family.Type.ToString().ToLowerInvariant()}");
            return;
        }

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var labels = Labels(metric, point.Tags);
            if (!family.Series.TryAdd(labels, Render(name, type, metric.MetricType, labels, point)))
            {
                _skipped.Add($"{metric.Name} from {metric.MeterName}: series {name}{{{labels}}} already written");
            }
        }
    }

    /// <summary>A constant gauge of resource attributes, as the OpenTelemetry exporter's <c>target_info</c>.</summary>
    public void AddTargetInfo(IEnumerable<KeyValuePair<string, object>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var labels = string.Join(',', attributes
            .Select(a => (Name: PrometheusNaming.LabelName(a.Key), Value: Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""))
            .DistinctBy(a => a.Name)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => $"{a.Name}=\"{EscapeLabel(a.Value)}\""));
        var family = new Family("target_info", PrometheusType.Gauge, "Target metadata: the resource attributes of this process.");
        family.Series.Add(labels, $"target_info{{{labels}}} 1\n");
        _families["target_info"] = family;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(16 * 1024);
        foreach (var family in _families.Values.Where(f => f.Series.Count > 0))
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type.ToString().ToLowerInvariant()).Append('\n');
            foreach (var lines in family.Series.Values)
            {
                sb.Append(lines);
            }
        }

        foreach (var skipped in _skipped)
        {
            sb.Append("# lab: left out ").Append(skipped.Replace('\n', ' ')).Append('\n');
        }

        return sb.ToString();
    }

    private static string Help(Metric metric, PrometheusType type)
    {
        var help = string.IsNullOrWhiteSpace(metric.Description) ? metric.Name : metric.Description.Trim();
        if (type == PrometheusType.Gauge && metric.MetricType is MetricType.LongSum or MetricType.DoubleSum)
        {
            help += $" (instrument {metric.Name}: registered as an observable counter, but it goes up and down, so a gauge here)";
        }

        return help;
    }

    private static string Labels(Metric metric, ReadOnlyTagCollection tags)
    {
        var labels = new List<(string Name, string Value)>(tags.Count + 2);
        foreach (var tag in tags)
        {
            labels.Add((PrometheusNaming.LabelName(tag.Key), TagValue(tag.Value)));
        }

        labels.Add(("otel_scope_name", metric.MeterName));
        if (!string.IsNullOrEmpty(metric.MeterVersion))
        {
            labels.Add(("otel_scope_version", metric.MeterVersion));
        }

        // Two attributes that sanitize to the same label: their values are joined with ';', as the
        // OpenTelemetry exporter does, rather than writing a label twice.
        return string.Join(',', labels
            .GroupBy(l => l.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}=\"{EscapeLabel(string.Join(';', g.Select(l => l.Value)))}\""));
    }

    private static string TagValue(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => Number(d),
        float f => Number(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Render(string name, PrometheusType type, MetricType otelType, string labels, in MetricPoint point)
    {
        var braces = labels.Length == 0 ? "" : "{" + labels + "}";
        if (type != PrometheusType.Histogram)
        {
            var value = otelType switch
            {
                MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
                MetricType.DoubleGauge => Number(point.GetGaugeLastValueDouble()),
                MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
                _ => Number(point.GetSumDouble()),
            };
            return $"{name}{braces} {value}\n";
        }

        var sb = new StringBuilder();
        var prefix = labels.Length == 0 ? "" : labels + ",";
        long cumulative = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            var le = double.IsPositiveInfinity(bucket.ExplicitBound) ? "+Inf" : Number(bucket.ExplicitBound);
            sb.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(le).Append("\"} ")
                .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        sb.Append(name).Append("_sum").Append(braces).Append(' ').Append(Number(point.GetHistogramSum())).Append('\n');
        sb.Append(name).Append("_count").Append(braces).Append(' ').Append(point.GetHistogramCount().ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Go's ParseFloat spellings: shortest round-trip digits, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Family(string name, PrometheusType type, string help)
    {
        public string Name { get; } = name;
        public PrometheusType Type { get; } = type;
        public string Help { get; } = help;
        public SortedDictionary<string, string> Series { get; } = new(StringComparer.Ordinal);
    }
}
