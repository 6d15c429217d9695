using System.Text;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// The metrics that show starvation on <c>/metrics</c>, next to a stock OpenTelemetry setup's names. The README's
/// table is written from this list (a test keeps them equal), a live-process test checks every name and type on a
/// real server, and an in-memory test checks the stock names on a stock setup, so none of the three can drift.
/// </summary>
public static class MetricNames
{
    public const string BeginMarker = "<!-- metric-names:begin -->";
    public const string EndMarker = "<!-- metric-names:end -->";

    private const string Runtime = "System.Runtime";
    private const string Hosting = "Microsoft.AspNetCore.Hosting";
    private const string Kestrel = "Microsoft.AspNetCore.Server.Kestrel";
    private const string RateLimiting = "Microsoft.AspNetCore.RateLimiting";
    private const string Http = "System.Net.Http";
    private const string Lab = LabMeter.MeterName;

    public static readonly IReadOnlyList<MetricName> All =
    [
        new("lab_thread_pool_threads", "gauge", LabMeter.ThreadsInstrument, Lab, "dotnet_thread_pool_thread_count_total", "counter",
            "the runtime's instrument is an ObservableCounter on .NET 10 (dotnet/runtime#112077): dropped by a View, replaced by this gauge",
            "creeps up (~0.5 threads/s for pure blocking, ~4/s for blocked Task waits)"),
        new("lab_thread_pool_queue_length", "gauge", LabMeter.QueueLengthInstrument, Lab, "dotnet_thread_pool_queue_length_total", "counter",
            "the same bug (dotnet/runtime#126167): dropped, replaced by this gauge",
            "climbs into the hundreds while threads barely move"),
        new("dotnet_thread_pool_work_item_count_total", "counter", "dotnet.thread_pool.work_item.count", Runtime, null, null, null,
            "its `rate()` flattens: work stops completing"),
        new("lab_requests_active", "gauge", "lab.requests.active", Lab, null, null,
            "requests in the pipeline, limiter queue included, without the lab's own paths",
            "piles up (requests accepted, not finished)"),
        new("http_server_active_requests", "gauge", "http.server.active_requests", Hosting, null, null, null,
            "the same, counting `/lab/*` too (`/metrics` is left out of the http.server instruments)"),
        new("http_server_request_duration_seconds", "histogram", "http.server.request.duration", Hosting, null, null, null,
            "p99 (`histogram_quantile`) climbs toward the client timeout"),
        new("http_client_open_connections", "gauge", "http.client.open_connections", Http, null, null, null,
            "(`http_connection_state` active/idle) stays low on a cold pool: connects wait for pool threads"),
        new("http_client_request_time_in_queue_seconds", "histogram", "http.client.request.time_in_queue", Http, null, null, null,
            "time backend calls waited for a connection (C8, C11)"),
        new("aspnetcore_rate_limiting_queued_requests", "gauge", "aspnetcore.rate_limiting.queued_requests", RateLimiting, null, null, null,
            "the limiter's queue (C3); stays at 0 while requests wait in the pool's queue instead"),
        new("lab_rejected_requests_total", "counter", "lab.rejected_requests", Lab, null, null, "503s from the limiter, whatever their route",
            "the limiter's 503s (C3)"),
        new("lab_requests_total", "counter", "lab.requests", Lab, null, null, "requests by `lab_style`, `http_route` and `lab_outcome`",
            "ok / rejected (503) / timeout (504) / backend_error (502) / error / client_error / aborted, by style"),
        new("lab_backend_active_calls", "gauge", "lab.backend.active_calls", Lab, null, null, "every call style counted, APM included",
            "backend calls in flight"),
        new("kestrel_queued_connections", "gauge", "kestrel.queued_connections", Kestrel, null, null, null,
            "connections waiting for Kestrel"),
        new("dotnet_process_cpus", "gauge", "dotnet.process.cpu.count", Runtime, "dotnet_process_cpu_count", null,
            "promtool rejects a gauge ending in `_count`: renamed by a View", "—"),
        new("dotnet_timers", "gauge", "dotnet.timer.count", Runtime, "dotnet_timer_count", null,
            "the same lint: renamed by a View", "—"),
        new("dotnet_assemblies", "gauge", "dotnet.assembly.count", Runtime, "dotnet_assembly_count", null,
            "the same lint: renamed by a View", "—"),
    ];

    /// <summary>The README's table.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| on `/metrics` | type | from (meter) | stock OpenTelemetry setup | in a sync burst |\n");
        text.Append("|---|---|---|---|---|\n");
        foreach (var m in All)
        {
            var stock = (m.Why, m.StockName) switch
            {
                (null, _) => "same",
                (_, null) => $"none, the lab's own: {m.Why}",
                _ => $"`{m.StockName}`{(m.StockType is null ? "" : $" ({m.StockType})")}: {m.Why}",
            };
            text.Append($"| `{m.Name}` | {m.Type} | `{m.Instrument}` ({m.Meter}) | {stock} | {m.InASyncBurst} |\n");
        }

        return text.ToString();
    }
}
