using System.Text;

namespace Lab.Server.Telemetry.Textfile;

/// <summary>
/// The families of the Prometheus textfile, in the order they are written. Names are those of <c>/metrics</c>
/// for the same quantity (<see cref="TextfileMetric.OnMetrics"/>), so one query shows both paths, told apart by
/// the <c>job</c> label Prometheus adds; the others are the lab's own.
/// </summary>
public static class TextfileMetrics
{
    public const string BeginMarker = "<!-- textfile-metrics:begin -->";
    public const string EndMarker = "<!-- textfile-metrics:end -->";
    public const string Gauge = "gauge";
    public const string Counter = "counter";

    /// <summary>The family a reader checks for freshness: <c>time() - lab_textfile_timestamp_seconds</c>.</summary>
    public const string TimestampName = "lab_textfile_timestamp_seconds";

    public static readonly IReadOnlyList<TextfileMetric> All =
    [
        new("lab_thread_pool_threads", Gauge, "Thread-pool threads that exist now (ThreadPool.ThreadCount), busy or idle.",
            s => s.ThreadPoolThreadCount),
        new("lab_thread_pool_queue_length", Gauge, "Work items queued to the thread pool and not yet started (ThreadPool.PendingWorkItemCount).",
            s => s.ThreadPoolQueueLength),
        new("dotnet_thread_pool_work_item_count_total", Counter, "Work items the thread pool has completed since the process started (ThreadPool.CompletedWorkItemCount).",
            s => s.ThreadPoolCompletedWorkItems),
        new("lab_requests_active", Gauge, "Requests in the pipeline now, queued in the limiter or running; the lab's own paths (/lab/*, /metrics) excluded.",
            s => s.ActiveRequests),
        new("aspnetcore_rate_limiting_queued_requests", Gauge, "Requests waiting in the concurrency limiter's queue (0 without Lab:ConcurrencyLimit).",
            s => s.LimiterQueuedRequests, ServerOnly: true),
        new("http_client_open_connections", Gauge, "Open connections to the backend, active and idle together.",
            s => s.BackendOpenConnections, ServerOnly: true),
        new("dotnet_process_memory_working_set_bytes", Gauge, "Resident set size of the process (VmRSS).",
            s => s.WorkingSetBytes),
        new("lab_gc_heap_size_bytes", Gauge, "GC heap size now (GC.GetTotalMemory without collecting).",
            s => s.GcHeapBytes, OnMetrics: false),
        new("dotnet_process_cpu_time_seconds_total", Counter, "CPU time of the process, user and system together.",
            s => s.CpuTimeS),
        new(TimestampName, Gauge, "When the sampler thread took these values (Unix time): stale if the sampler stalled or the process died (a stopped process removes its file).",
            s => s.UnixMs / 1000.0, OnMetrics: false),
    ];

    /// <summary>The README's table of the file's families.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| in the textfile | type | also on `/metrics` | what |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var m in All)
        {
            var on = m.OnMetrics ? "same name and type" : "no";
            text.Append($"| `{m.Name}` | {m.Type} | {on} | {m.Help}{(m.ServerOnly ? " Server role only." : "")} |\n");
        }

        return text.ToString();
    }
}
