namespace Lab.Contracts;

/// <summary>Every lab-server setting, with its type, range, default and meaning.</summary>
public static class ServerKnobs
{
    public static readonly IReadOnlyList<ServerKnob> All =
    [
        new("BackendUrl", KnobKind.Url, 0, 0, "server → backend base URL", "http://127.0.0.1:5101", "http://127.0.0.1:5101", SetByOrchestrator: true),
        new("MinWorkerThreads", KnobKind.WholeNumber, 1, short.MaxValue, "ThreadPool.SetMinThreads: worker threads the pool creates without delay",
            "processor count", "200", "threads"),
        new("MaxWorkerThreads", KnobKind.WholeNumber, 1, short.MaxValue, "ThreadPool.SetMaxThreads: the pool never grows past it (at least the processor count)",
            "32767", "16", "threads"),
        new("ConcurrencyLimit", KnobKind.WholeNumber, 1, 1_000_000, "concurrency limiter permits: requests running at once (Kestrel alone never answers 503)",
            "off", "100", "requests"),
        new("QueueLimit", KnobKind.WholeNumber, 0, 1_000_000, "requests waiting for a permit; beyond it 503 (needs ConcurrencyLimit)",
            "1000, like HTTP.sys", "5000", "requests"),
        new("RequestTimeoutMs", KnobKind.WholeNumber, 1, 3_600_000, "whole-request time budget, the AsyncTimeout analog (504 past it)", "none", "700", "ms"),
        new("MaxConnectionsPerServer", KnobKind.ConnectionLimit, 0, 0, "outbound connections to the backend: unlimited, N or 12xCPU (the old maxconnection)",
            "unlimited", "12xCPU", "connections"),
        new("MaxConcurrentConnections", KnobKind.WholeNumber, 1, 10_000_000, "Kestrel connection limit: beyond it new connections are closed (no 503)",
            "unlimited", "1000", "connections"),
        new("PrewarmConnections", KnobKind.WholeNumber, 0, 10_000, "backend connections opened before the server reports ready (a cold pool makes sync wait on pool work)",
            "0", "100", "connections"),
        new("BackendTimeoutMs", KnobKind.WholeNumber, 1, 3_600_000, "outbound HttpClient.Timeout toward the backend", "100000", "30000", "ms"),
        new("SampleIntervalMs", KnobKind.WholeNumber, 10, 10_000, "telemetry sample interval of the dedicated sampler thread", "100", "250", "ms", KnobRoles.Both),
        new("SampleFile", KnobKind.FilePath, 0, 0, "JSON-lines file the sampler appends to, flushed per sample", "none", "samples.jsonl",
            Roles: KnobRoles.Both, SetByOrchestrator: true),
        new("EventFile", KnobKind.FilePath, 0, 0,
            "JSON-lines file of the runtime's thread-pool events (adjustments with their reason, worker start/stop, blocking waits), written by a dedicated thread",
            "none (not recorded)", "events.jsonl", Roles: KnobRoles.Both, SetByOrchestrator: true),
        new("PoolEvents", KnobKind.Choice, 0, 0,
            "the runtime's thread-pool events into EventFile: on (adjustments with their reason, worker start/stop), waits (also every blocking wait: verbose, costlier), off (no listener, no file)",
            "on", "waits", Roles: KnobRoles.Both, Choices: ["on", "waits", "off"]),
        new("PrometheusTextfile", KnobKind.FilePath, 0, 0,
            "Prometheus textfile (name ending in .prom) for node_exporter's textfile collector, replaced atomically by the sampler thread at most every 100 ms: fresh while the pool is starved",
            "none", "/var/lib/prometheus/node-exporter/lab-server.prom", Roles: KnobRoles.Both),
        new("SampleBufferCapacity", KnobKind.WholeNumber, 10, 10_000_000, "samples kept in memory for /lab/samples", "36000 (an hour at 100 ms)", "72000", "samples", KnobRoles.Both),
        new("ShutdownTimeoutMs", KnobKind.WholeNumber, 0, 600_000, "graceful shutdown bound; past it plus 2 s a starved process kills itself", "3000", "5000", "ms", KnobRoles.Both),
        new("Metrics", KnobKind.Choice, 0, 0, "OpenTelemetry metrics and /metrics (off removes their cost; /metrics answers 404)", "on", "off",
            Roles: KnobRoles.Both, Choices: ["on", "off"]),
        new("OtlpEndpoint", KnobKind.Url, 0, 0, "OTLP collector to push the same metrics to", "none", "http://127.0.0.1:4318", Roles: KnobRoles.Both),
        new("OtlpProtocol", KnobKind.Choice, 0, 0, "OTLP transport", "http/protobuf", "grpc", Roles: KnobRoles.Both, Choices: ["http/protobuf", "grpc"]),
        new("OtlpExportIntervalMs", KnobKind.WholeNumber, 100, 3_600_000, "OTLP push interval", "10000", "1000", "ms", KnobRoles.Both),
        new("ParentProcessId", KnobKind.WholeNumber, 1, int.MaxValue, "exit when this process is gone (no orphans)", "none", "4242",
            Roles: KnobRoles.Both, SetByOrchestrator: true),
    ];

    public static ServerKnob? Find(string name) =>
        All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
}
