namespace Lab.Client.Reports;

/// <summary>The rows of the per-variant summary table, shared by the HTML and Markdown writers.</summary>
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
        ("latency p50", "latency.p50", "ms"),
        ("latency p99", "latency.p99", "ms"),
        ("latency p99.9", "latency.p999", "ms"),
        ("latency max", "latency.max", "ms"),
        ("service time p99 (from send)", "serviceTime.p99", "ms"),
        ("pool threads: start → max → final", "threads", ""),
        ("thread injection while work waited", "injection.rate", "threads/s"),
        ("pool queue, max", "queue.max", "items"),
        ("limiter queue, max", "limiterQueue.max", "requests"),
        ("in flight in the server, max", "inFlight.max", "requests"),
        ("backend connections, max", "connections.max", ""),
        ("OS threads, max", "osThreads.max", ""),
        ("RSS, max", "memory.rssMax", "MB"),
        ("private (VmData), max", "memory.privateMax", "MB"),
        ("virtual, max", "memory.virtualMax", "MB"),
        ("GC heap, max", "memory.gcHeapMax", "MB"),
        ("memory per extra OS thread: RSS", "memoryPerThread.rssKb", "KB"),
        ("memory per extra OS thread: private", "memoryPerThread.privateKb", "KB"),
        ("memory per extra OS thread: virtual", "memoryPerThread.virtualKb", "KB"),
        ("recovery after the last burst", "recovery.s", "s"),
        ("client dispatch lag p99", "lag.p99", "ms"),
    ];

    public static string Cell(Lab.Client.Analysis.VariantSummary s, string metric, string unit)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (metric == "threads")
        {
            return $"{RunReport.Format(s["threads.start"])} → {RunReport.Format(s["threads.max"])} → {RunReport.Format(s["threads.final"])}";
        }

        var v = s[metric];
        return double.IsFinite(v) ? unit.Length == 0 ? RunReport.Format(v) : $"{RunReport.Format(v)} {unit}" : "–";
    }
}
