using System.Text.Json.Serialization;

namespace Lab.Contracts;

/// <summary>
/// One telemetry sample, taken by the server's dedicated sampler thread (never the thread pool).
/// Field names reuse the runtime's and OpenTelemetry's metric names where one exists, so charts,
/// JSON lines and dotnet-counters all speak the same language.
/// </summary>
public sealed record ServerSample
{
    /// <summary>Sequence number, 1-based and gap-free within one process.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>Wall clock when taken (Unix ms), for aligning with the client's records.</summary>
    [JsonPropertyName("unixMs")] public long UnixMs { get; init; }

    /// <summary>Monotonic milliseconds since the sampler started; immune to clock steps.</summary>
    [JsonPropertyName("monoMs")] public double MonoMs { get; init; }

    [JsonPropertyName("dotnet.thread_pool.thread.count")] public int ThreadPoolThreadCount { get; init; }
    [JsonPropertyName("dotnet.thread_pool.queue.length")] public long ThreadPoolQueueLength { get; init; }
    [JsonPropertyName("dotnet.thread_pool.work_item.count")] public long ThreadPoolCompletedWorkItems { get; init; }

    /// <summary>OS threads of the process (/proc/self/status Threads on Linux).</summary>
    [JsonPropertyName("process.thread.count")] public int ProcessThreadCount { get; init; }

    /// <summary>Resident set size (VmRSS on Linux).</summary>
    [JsonPropertyName("process.memory.usage")] public long WorkingSetBytes { get; init; }

    /// <summary>Virtual address space (VmSize on Linux): counts every thread's full stack reservation.</summary>
    [JsonPropertyName("process.memory.virtual")] public long VirtualBytes { get; init; }

    /// <summary>Private memory (VmData on Linux, like Process.PrivateMemorySize64): also counts stack reservations.</summary>
    [JsonPropertyName("process.memory.private")] public long PrivateBytes { get; init; }

    /// <summary>GC heap size right now (GC.GetTotalMemory without collecting).</summary>
    [JsonPropertyName("dotnet.gc.heap.size")] public long GcHeapBytes { get; init; }

    [JsonPropertyName("dotnet.gc.last_collection.memory.committed_size")] public long GcCommittedBytes { get; init; }

    /// <summary>User + system CPU time of the process, seconds.</summary>
    [JsonPropertyName("dotnet.process.cpu.time")] public double CpuTimeS { get; init; }

    /// <summary>Requests that entered the pipeline and have not finished (before the limiter).</summary>
    [JsonPropertyName("http.server.active_requests")] public long ActiveRequests { get; init; }

    /// <summary>Requests waiting in the concurrency limiter's queue.</summary>
    [JsonPropertyName("aspnetcore.rate_limiting.queued_requests")] public long LimiterQueuedRequests { get; init; }

    /// <summary>Requests answered 503 by the limiter since start.</summary>
    [JsonPropertyName("lab.requests.rejected")] public long RejectedRequests { get; init; }

    /// <summary>Requests that ran out of their time budget since start.</summary>
    [JsonPropertyName("lab.requests.timed_out")] public long TimedOutRequests { get; init; }

    /// <summary>Outbound backend calls in progress (every style, APM included).</summary>
    [JsonPropertyName("http.client.active_requests")] public long BackendActiveRequests { get; init; }

    /// <summary>Open outbound connections, from System.Net.Http's own http.client.open_connections.</summary>
    [JsonPropertyName("http.client.open_connections")] public long BackendOpenConnections { get; init; }

    /// <summary>Backend responses the leaky endpoint never disposed (C11).</summary>
    [JsonPropertyName("lab.backend.leaked_responses")] public long LeakedResponses { get; init; }

    /// <summary>Backend role: delayed requests cancelled by their caller since start (C7).</summary>
    [JsonPropertyName("lab.backend.cancelled")] public long BackendCancelled { get; init; }
}
