using System.Text.Json.Serialization;

namespace Lab.Server.Server;

/// <summary>The body every server endpoint answers with: which style ran, how long it took, what it got.</summary>
public sealed record EndpointResult(
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("elapsedMs")] double ElapsedMs,
    [property: JsonPropertyName("calls")] IReadOnlyList<BackendCallResult> Calls,
    [property: JsonPropertyName("cpuWorkMs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CpuWorkMs = null);
