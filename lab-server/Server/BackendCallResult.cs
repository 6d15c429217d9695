using System.Text.Json.Serialization;

namespace Lab.Server.Server;

/// <summary>What one backend call brought back: the backend's work as the server received it.</summary>
public sealed record BackendCallResult(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("delayMs")] int DelayMs,
    [property: JsonPropertyName("elapsedMs")] double ElapsedMs)
{
    [JsonIgnore] public bool IsSuccess => Status is >= 200 and < 300;
}
