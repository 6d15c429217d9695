using System.Globalization;
using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// The rows of the per-variant summary table, shared by the HTML and Markdown writers. Each cell is the median
/// over the repetitions with its min–max (and the 95 % interval from five repetitions on). Latency percentiles
/// are over answered requests; where requests timed out the cell says so, and when the timeouts alone reach
/// the percentile it shows "&gt; timeout" instead of a number the timeouts would make a lie.
/// </summary>
public static class SummaryRows
{
    public static readonly (string Label, string Metric, string Unit)[] All =
    [
        ("scheduled", "count.scheduled", ""),
        ("2xx", "count.ok", ""),
        ("503", "count.503", ""),
        ("other errors", "count.error", ""),
        ("client timeouts", "count.timeout", ""),
        ("dropped (client cap)", "count.dropped", ""),
        ("aborted (run ended)", "count.aborted", ""),
        ("offered, mean", "offered.mean", "req/s"),
        ("goodput (2xx), mean", "throughput.mean", "req/s"),
        ("goodput (2xx), best second", "throughput.max", "req/s"),
        ("latency p50 (answered)", "latency.p50", "ms"),
        ("latency p99 (answered)", "latency.p99", "ms"),
        ("latency p99.9 (answered)", "latency.p999", "ms"),
        ("latency max (answered)", "latency.max", "ms"),
        ("service time p99 (from send)", "serviceTime.p99", "ms"),
        ("outstanding at the client, max (load)", "outstanding.max", "requests"),
        ("outstanding at the client, max (drain)", "drain.outstanding.max", "requests"),
        ("pool threads (load): start → max → at its end", "threads", ""),
        ("pool threads, max (drain)", "drain.threads.max", ""),
        ("thread injection while work waited (load)", "injection.rate", "threads/s"),
        ("thread injection while work waited (drain)", "drain.injection.rate", "threads/s"),
        ("pool queue, max (load)", "queue.max", "items"),
        ("pool queue, max (drain)", "drain.queue.max", "items"),
        ("limiter queue, max (load)", "limiterQueue.max", "requests"),
        ("in flight in the server, max (load)", "inFlight.max", "requests"),
        ("backend connections, max (load)", "connections.max", ""),
        ("OS threads, max (load)", "osThreads.max", ""),
        ("RSS, max (load)", "memory.rssMax", "MB"),
        ("private (VmData), max (load)", "memory.privateMax", "MB"),
        ("virtual, max (load)", "memory.virtualMax", "MB"),
        ("GC heap, max (load)", "memory.gcHeapMax", "MB"),
        ("memory per extra OS thread: RSS", "memoryPerThread.rssKb", "KB"),
        ("memory per extra OS thread: private", "memoryPerThread.privateKb", "KB"),
        ("memory per extra OS thread: virtual", "memoryPerThread.virtualKb", "KB"),
        ("recovery after the last burst", "recovery.s", "s"),
        ("client dispatch lag p99", "lag.p99", "ms"),
    ];

    /// <summary>Rows that come from the server's own telemetry: "no telemetry" for a target that gives none.</summary>
    public static bool IsServerSide(string metric) =>
        metric is "threads" || metric.Contains("threads.", StringComparison.Ordinal) || metric.EndsWith("injection.rate", StringComparison.Ordinal) || metric.Contains("queue", StringComparison.OrdinalIgnoreCase) || metric.StartsWith("memory", StringComparison.Ordinal)
        || metric.Contains("inFlight", StringComparison.Ordinal) || metric.Contains("connections", StringComparison.Ordinal) || metric.Contains("osThreads", StringComparison.Ordinal);

    public static string Cell(VariantAggregate v, string metric, string unit)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (IsServerSide(metric) && !v.HasTelemetry) return "no telemetry";
        if (metric == "threads")
        {
            return $"{RunReport.Format(v.Median("threads.start"))} → {RunReport.Format(v.Median("threads.max"))} → {RunReport.Format(v.Median("threads.final"))}";
        }

        var spread = v[metric];
        if (spread.N == 0) return "–";
        var text = Value(spread, unit);
        if (metric == "recovery.s" && v.Runs.Count(r => r.Summary["recovery.cleared"] == 0) is var stuck and > 0)
        {
            // Not a time to recover but a lower bound: the backlog ended in timeouts or failures, not in answers.
            text = $"> {text}: not recovered{(v.Runs.Count > 1 ? $" in {stuck} of {v.Runs.Count}" : "")} (the requests outstanding at the load's end timed out, failed or were still in flight)";
        }

        if (metric.StartsWith("latency.p", StringComparison.Ordinal) && Censoring(v, metric) is { } note) text = note;
        return text;
    }

    /// <summary>Median, with min–max over repetitions and the 95 % interval when there are enough.</summary>
    public static string Value(Spread spread, string unit)
    {
        ArgumentNullException.ThrowIfNull(spread);
        var text = RunReport.Format(spread.Median) + (unit.Length == 0 ? "" : $" {unit}");
        if (spread.N > 1) text += $" ({RunReport.Format(spread.Min)}–{RunReport.Format(spread.Max)})";
        if (spread.Ci95 is { } ci) text += $", 95 % CI of the mean {RunReport.Format(ci.Low)}–{RunReport.Format(ci.High)}";
        return text;
    }

    /// <summary>
    /// "&gt; 8 s (97 % timed out)" when the timeouts alone reach the percentile, or "513 ms; 3 % timed out" when
    /// some timed out; null when none did.
    /// </summary>
    public static string? Censoring(VariantAggregate v, string metric)
    {
        ArgumentNullException.ThrowIfNull(v);
        var share = v.Median("share.timeout");
        if (!(share > 0)) return null;
        var p = metric switch
        {
            "latency.p50" => 0.50,
            "latency.p90" => 0.90,
            "latency.p95" => 0.95,
            "latency.p99" => 0.99,
            "latency.p999" => 0.999,
            _ => 1.0,
        };
        var pct = (share * 100).ToString(share < 0.01 ? "0.##" : "0", CultureInfo.InvariantCulture);
        var timeout = RunReport.Format(v.First.TimeoutS);
        var answered = v[metric];
        return share >= 1 - p - 1e-12
            ? $"> {timeout} s ({pct} % timed out; answered: {(answered.N == 0 ? "none" : Value(answered, "ms"))})"
            : $"{Value(answered, "ms")}; {pct} % timed out at {timeout} s";
    }
}
