namespace Lab.Server.Configuration;

/// <summary>
/// Every knob of one lab-server process, resolved and validated at start-up (section <c>Lab</c> of the
/// ASP.NET Core configuration: appsettings.json, <c>Lab__Key</c> environment variables, <c>--Lab:Key=value</c>).
/// Null means "not set: the runtime's own default applies".
/// </summary>
public sealed record LabSettings
{
    public LabRole Role { get; init; }

    /// <summary>Server role: base URL of the backend process.</summary>
    public Uri BackendUrl { get; init; } = new("http://127.0.0.1:5101");

    /// <summary>ThreadPool.SetMinThreads worker count (C2). Runtime default: processor count.</summary>
    public int? MinWorkerThreads { get; init; }

    /// <summary>ThreadPool.SetMaxThreads worker count (C14). Runtime default: 32,767.</summary>
    public int? MaxWorkerThreads { get; init; }

    /// <summary>Concurrency limiter permits; null = limiter off (Kestrel alone never answers 503).</summary>
    public int? ConcurrencyLimit { get; init; }

    /// <summary>Requests allowed to wait for a permit; beyond it: 503 (C3). Default 1,000, like HTTP.sys.</summary>
    public int QueueLimit { get; init; } = DefaultQueueLimit;

    /// <summary>Whole-request time budget, the AsyncTimeout analog (C7); null = none.</summary>
    public int? RequestTimeoutMs { get; init; }

    /// <summary>SocketsHttpHandler.MaxConnectionsPerServer toward the backend (C8, C11).</summary>
    public ConnectionLimit MaxConnectionsPerServer { get; init; } = ConnectionLimit.Unlimited;

    /// <summary>
    /// Backend connections opened before the server reports ready. HttpClient.Send blocks purely only on
    /// a pooled connection: opening a new one runs on the thread pool, so on a cold pool the sync style
    /// also waits on pool work (measured). Prewarming separates pure blocking from that effect.
    /// </summary>
    public int PrewarmConnections { get; init; }

    /// <summary>Kestrel MaxConcurrentConnections; beyond it Kestrel closes new connections (no 503).</summary>
    public int? MaxConcurrentConnections { get; init; }

    /// <summary>Outbound HttpClient.Timeout toward the backend.</summary>
    public int BackendTimeoutMs { get; init; } = 100_000;

    public int SampleIntervalMs { get; init; } = 100;

    /// <summary>JSON-lines file the sampler appends to (flushed per sample); null = memory buffer only.</summary>
    public string? SampleFile { get; init; }

    /// <summary>
    /// JSON-lines file of the runtime's thread-pool events (why the pool grew), written by a dedicated thread; null = the
    /// events are not recorded at all (no listener, no cost).
    /// </summary>
    public string? EventFile { get; init; }

    /// <summary>
    /// Also record pool workers' blocking waits (the runtime's WaitHandleWait events, verbose level). Off by default: at
    /// verbose level every wait of every thread (timers, the sampler) is delivered, which costs more than the rest.
    /// </summary>
    public bool PoolEventWaits { get; init; }

    /// <summary>
    /// Prometheus textfile (<c>*.prom</c>) the sampler thread rewrites each sample for node_exporter's textfile
    /// collector; null = none. Written by the sampler's own thread, so it stays fresh while the pool is starved.
    /// </summary>
    public string? PrometheusTextfile { get; init; }

    /// <summary>Samples kept in memory for <c>/lab/samples</c> (36,000 = one hour at 100 ms).</summary>
    public int SampleBufferCapacity { get; init; } = 36_000;

    /// <summary>Bound on graceful shutdown; past it (plus a margin) a starved process kills itself.</summary>
    public int ShutdownTimeoutMs { get; init; } = 3_000;

    /// <summary>
    /// The OpenTelemetry MeterProvider behind <c>/metrics</c> (and OTLP). On by default; off removes its cost
    /// and answers <c>/metrics</c> with 404. Measured with wrk on 2 cores: 9–15 % fewer req/s on <c>/fast</c> at
    /// ~100k req/s (1–1.6 µs per request); on a backend-calling request at ~22k req/s, no difference beyond
    /// run-to-run noise. Nothing a 200 req/s experiment can notice.
    /// </summary>
    public bool Metrics { get; init; } = true;

    /// <summary>
    /// OTLP collector for pushing the same metrics <c>/metrics</c> serves; null = no push. For http/protobuf
    /// a URL without a path gets <c>/v1/metrics</c> appended.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>http/protobuf</c> (the OTLP default port 4318) or <c>grpc</c> (4317).</summary>
    public string OtlpProtocol { get; init; } = "http/protobuf";

    public int OtlpExportIntervalMs { get; init; } = 10_000;

    /// <summary>The process that started this one; when it is gone, this one stops too (no orphans).</summary>
    public int? ParentProcessId { get; init; }

    public const int DefaultQueueLimit = Lab.Contracts.ServerKnobDefaults.QueueLimit;
}
