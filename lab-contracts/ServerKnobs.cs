namespace Lab.Contracts;

/// <summary>Every lab-server setting, with its type, range and meaning.</summary>
public static class ServerKnobs
{
    public static readonly IReadOnlyList<ServerKnob> All =
    [
        new("BackendUrl", KnobKind.Url, 0, 0, "server → backend base URL", SetByOrchestrator: true),
        new("MinWorkerThreads", KnobKind.WholeNumber, 1, short.MaxValue, "thread-pool minimum worker threads"),
        new("MaxWorkerThreads", KnobKind.WholeNumber, 1, short.MaxValue, "thread-pool maximum worker threads, at least the processor count"),
        new("ConcurrencyLimit", KnobKind.WholeNumber, 1, 1_000_000, "concurrency limiter permits (off when unset)"),
        new("QueueLimit", KnobKind.WholeNumber, 0, 1_000_000, "requests allowed to queue for the limiter; beyond it 503"),
        new("RequestTimeoutMs", KnobKind.WholeNumber, 1, 3_600_000, "whole-request time budget in ms"),
        new("MaxConnectionsPerServer", KnobKind.ConnectionLimit, 0, 0, "outbound connections per backend"),
        new("MaxConcurrentConnections", KnobKind.WholeNumber, 1, 10_000_000, "Kestrel connection limit"),
        new("PrewarmConnections", KnobKind.WholeNumber, 0, 10_000, "backend connections opened before ready"),
        new("BackendTimeoutMs", KnobKind.WholeNumber, 1, 3_600_000, "outbound HttpClient timeout in ms"),
        new("SampleIntervalMs", KnobKind.WholeNumber, 10, 10_000, "telemetry sample interval in ms"),
        new("SampleFile", KnobKind.FilePath, 0, 0, "JSON-lines file for telemetry samples", SetByOrchestrator: true),
        new("SampleBufferCapacity", KnobKind.WholeNumber, 10, 10_000_000, "samples kept in memory for /lab/samples"),
        new("ShutdownTimeoutMs", KnobKind.WholeNumber, 0, 600_000, "graceful shutdown bound in ms"),
        new("Metrics", KnobKind.Choice, 0, 0, "OpenTelemetry metrics and /metrics", Choices: ["on", "off"]),
        new("OtlpEndpoint", KnobKind.Url, 0, 0, "OTLP collector URL for pushing metrics (off when unset)"),
        new("OtlpProtocol", KnobKind.Choice, 0, 0, "OTLP transport", Choices: ["http/protobuf", "grpc"]),
        new("OtlpExportIntervalMs", KnobKind.WholeNumber, 100, 3_600_000, "OTLP push interval in ms"),
        new("ParentProcessId", KnobKind.WholeNumber, 1, int.MaxValue, "exit when this process is gone (no orphans)", SetByOrchestrator: true),
    ];

    public static ServerKnob? Find(string name) =>
        All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
}
