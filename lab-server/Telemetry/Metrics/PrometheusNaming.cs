using System.Text;
using OpenTelemetry.Metrics;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// How an OpenTelemetry instrument becomes a Prometheus metric family, following the rules of the
/// OpenTelemetry .NET Prometheus exporter (PrometheusMetric.cs, "UnderscoreEscapingWithSuffixes"):
/// characters outside <c>[A-Za-z0-9_:]</c> become <c>_</c>, the unit is appended (<c>s</c> → <c>_seconds</c>,
/// <c>By</c> → <c>_bytes</c>, <c>{thread}</c> dropped), monotonic sums are counters with <c>_total</c>,
/// up-down sums and gauges are gauges, histograms are histograms.
/// Two deliberate departures, both for runtime quirks found on .NET 10.0.12 (dotnet/runtime#112077, #126167):
/// instruments that go up and down but are registered as observable counters are exposed as gauges,
/// and a gauge never ends in <c>_count</c> (promtool: "non-histogram and non-summary metrics should not
/// have "_count" suffix").
/// </summary>
public static class PrometheusNaming
{
    /// <summary>
    /// Instruments whose value is a level, not a running total, whatever type they are registered with:
    /// on .NET 10.0.12 the thread count and the queue length are ObservableCounters (dotnet/runtime#112077,
    /// #126167) although threads retire and queues drain. Exposed as counters, <c>rate()</c> of them would
    /// read every drop as a counter reset.
    /// </summary>
    public static readonly IReadOnlySet<string> LevelInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "dotnet.thread_pool.thread.count",
        "dotnet.thread_pool.queue.length",
    };

    /// <summary>Gauge names that would end in <c>_count</c>, renamed to say what they count.</summary>
    public static readonly IReadOnlyDictionary<string, string> GaugeRenames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.thread_pool.thread.count"] = "dotnet_thread_pool_threads",
        ["dotnet.process.cpu.count"] = "dotnet_process_cpus",
        ["dotnet.timer.count"] = "dotnet_timers",
        ["dotnet.assembly.count"] = "dotnet_assemblies",
    };

    private static readonly Dictionary<string, string> s_units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["bit"] = "bits",
        ["%"] = "percent",
        ["Hz"] = "hertz",
        ["Cel"] = "celsius",
    };

    /// <summary>The Prometheus type of <paramref name="metric"/>; null for types the lab does not expose.</summary>
    public static PrometheusType? TypeOf(Metric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return TypeOf(metric.Name, metric.MetricType);
    }

    public static PrometheusType? TypeOf(string instrument, MetricType type)
    {
        if (type is MetricType.LongSum or MetricType.DoubleSum)
        {
            return LevelInstruments.Contains(instrument) ? PrometheusType.Gauge : PrometheusType.Counter;
        }

        return type switch
        {
            MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic or MetricType.LongGauge or MetricType.DoubleGauge => PrometheusType.Gauge,
            MetricType.Histogram => PrometheusType.Histogram,
            _ => null,
        };
    }

    /// <summary>The family name: <c>http.server.request.duration</c> (s, histogram) → <c>http_server_request_duration_seconds</c>.</summary>
    public static string FamilyName(string instrument, string? unit, PrometheusType type)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (type == PrometheusType.Gauge && GaugeRenames.TryGetValue(instrument, out var renamed))
        {
            return renamed;
        }

        var name = Sanitize(instrument, allowColon: true);
        if (UnitSuffix(unit) is { } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        if (type == PrometheusType.Counter)
        {
            return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";
        }

        // A counter-like suffix on a gauge reads as a sample of another family to promtool and to people.
        if (type == PrometheusType.Gauge && (name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_total", StringComparison.Ordinal)))
        {
            name += "_current";
        }

        return name;
    }

    /// <summary>An attribute key as a label name: <c>http.response.status_code</c> → <c>http_response_status_code</c>.</summary>
    public static string LabelName(string key)
    {
        var name = Sanitize(key, allowColon: false);
        return name.StartsWith("__", StringComparison.Ordinal) ? "key" + name : name;
    }

    /// <summary>The suffix for a UCUM unit; null for none, for <c>1</c> and for annotations such as <c>{thread}</c>.</summary>
    public static string? UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit) || unit == "1")
        {
            return null;
        }

        // Annotations ({request}, {thread}) carry no unit; "By{compressed}" keeps "By".
        var bare = unit;
        int open;
        while ((open = bare.IndexOf('{', StringComparison.Ordinal)) >= 0)
        {
            var close = bare.IndexOf('}', open);
            bare = close < 0 ? bare[..open] : bare[..open] + bare[(close + 1)..];
        }

        bare = bare.Trim();
        if (bare.Length == 0)
        {
            return null;
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            // Rates: "By/s" → "bytes_per_second".
            var per = bare[(slash + 1)..];
            var perName = per switch { "s" => "second", "m" => "minute", "h" => "hour", "d" => "day", _ => Sanitize(per, false) };
            return Unit(bare[..slash]) + "_per_" + perName;
        }

        return Unit(bare);
    }

    private static string Unit(string ucum) => s_units.TryGetValue(ucum, out var word) ? word : Sanitize(ucum, allowColon: false);

    /// <summary>Characters outside the legacy charset become one <c>_</c>; a leading digit gets a <c>_</c> before it.</summary>
    private static string Sanitize(string text, bool allowColon)
    {
        var sb = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            if (ok)
            {
                sb.Append(c);
            }
            else if (sb.Length == 0 || sb[^1] != '_')
            {
                sb.Append('_');
            }
        }

        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }
}
