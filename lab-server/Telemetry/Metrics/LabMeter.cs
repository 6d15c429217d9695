using System.Diagnostics.Metrics;
using Lab.Server.Configuration;
using Microsoft.AspNetCore.Routing;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// The lab's own instruments (meter <c>Lab.Server</c>). Requests are counted by style, route and outcome as
/// they end; everything else is observed from <see cref="LabCounters"/> and the thread pool at collection time,
/// so the request path pays one counter add and nothing more.
/// </summary>
public sealed class LabMeter : IDisposable
{
    public const string MeterName = "Lab.Server";
    public const string ThreadsInstrument = "lab.thread_pool.threads";
    public const string QueueLengthInstrument = "lab.thread_pool.queue.length";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;

    public LabMeter(LabCounters counters, LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(settings);
        _meter = new Meter(MeterName, typeof(LabMeter).Assembly.GetName().Version?.ToString(3));
        _requests = _meter.CreateCounter<long>("lab.requests", "{request}",
            "Requests answered, by lab.style (how the endpoint waits), http.route and lab.outcome (ok, rejected = 503 from the limiter, timeout = 504, backend_error = 502, error, client_error, aborted).");
        ThreadPoolInstruments(counters);
        if (settings.Role == LabRole.Server)
        {
            ServerInstruments(counters);
        }
        else
        {
            BackendInstruments(counters);
        }
    }

    /// <summary>
    /// Levels read when collected. The runtime's own <c>dotnet.thread_pool.thread.count</c> and
    /// <c>dotnet.thread_pool.queue.length</c> are ObservableCounters on .NET 10 (dotnet/runtime#112077, #126167),
    /// so they are dropped (<see cref="RuntimeViews"/>) and these gauges say the same thing as gauges.
    /// </summary>
    private void ThreadPoolInstruments(LabCounters counters)
    {
        _meter.CreateObservableGauge(ThreadsInstrument, () => ThreadPool.ThreadCount, "{thread}",
            "Thread-pool threads that exist now (ThreadPool.ThreadCount), busy or idle.");
        _meter.CreateObservableGauge(QueueLengthInstrument, () => ThreadPool.PendingWorkItemCount, "{work_item}",
            "Work items queued to the thread pool and not yet started (ThreadPool.PendingWorkItemCount).");
        _meter.CreateObservableGauge("lab.requests.active", () => counters.ActiveRequests, "{request}",
            "Requests in the pipeline now, queued in the limiter or running; the lab's own paths (/lab/*, /metrics) excluded.");
    }

    private void ServerInstruments(LabCounters counters)
    {
        _meter.CreateObservableCounter("lab.rejected_requests", () => counters.RejectedRequests, "{request}",
            "Requests the concurrency limiter answered with 503 because its queue was full (C3).");
        _meter.CreateObservableCounter("lab.timed_out_requests", () => counters.TimedOutRequests, "{request}",
            "Requests answered 504 because the request budget or the backend timeout ran out (C7).");
        _meter.CreateObservableUpDownCounter("lab.backend.active_calls", () => counters.BackendActive, "{call}",
            "Backend calls in flight from this server.");
        _meter.CreateObservableCounter("lab.backend.calls", () => counters.BackendCalls, "{call}",
            "Backend calls started by this server.");
        _meter.CreateObservableCounter("lab.backend.cancelled_calls", () => counters.BackendCallsCancelled, "{call}",
            "Backend calls cancelled because the request budget ran out or the caller went away.");
        _meter.CreateObservableCounter("lab.leaked_responses", () => counters.LeakedResponses, "{response}",
            "Backend responses never disposed by /leaky, each holding a connection (C11).");
    }

    private void BackendInstruments(LabCounters counters)
    {
        _meter.CreateObservableUpDownCounter("lab.delays.active",
            () => counters.BackendStarted - counters.BackendCompleted - counters.BackendCancelled, "{request}",
            "Backend role: delayed requests waiting out their delay right now.");
        _meter.CreateObservableCounter("lab.delays", () => (IEnumerable<Measurement<long>>)
            [
                new(counters.BackendCompleted, new KeyValuePair<string, object?>("lab.result", "completed")),
                new(counters.BackendCancelled, new KeyValuePair<string, object?>("lab.result", "cancelled")),
            ],
            "{request}",
            "Backend role: delayed requests that ended, completed or cancelled by their caller.");
    }

    /// <summary>Counts one finished request; called once per request from the pipeline.</summary>
    public void RequestEnded(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_requests.Enabled)
        {
            return;
        }

        var endpoint = context.GetEndpoint();
        var style = endpoint?.Metadata.GetMetadata<CallStyle>()?.Name ?? CallStyle.NoWait.Name;
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        _requests.Add(1,
            new KeyValuePair<string, object?>("lab.style", style),
            new KeyValuePair<string, object?>("http.route", route),
            new KeyValuePair<string, object?>("lab.outcome", Outcome(context)));
    }

    public static string Outcome(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return "aborted";
        }

        return context.Response.StatusCode switch
        {
            StatusCodes.Status503ServiceUnavailable => "rejected",
            StatusCodes.Status504GatewayTimeout => "timeout",
            StatusCodes.Status502BadGateway => "backend_error",
            >= 500 => "error",
            >= 400 => "client_error",
            _ => "ok",
        };
    }

    public void Dispose() => _meter.Dispose();
}
