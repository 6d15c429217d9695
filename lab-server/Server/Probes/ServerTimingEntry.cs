using System.Text.Json.Serialization;

namespace Lab.Server.Server.Probes;

/// <summary>One measurement as it goes out: the <c>Server-Timing</c> name and its <c>dur</c> (ms, or 1/0 for a yes/no fact).</summary>
public sealed record ServerTimingEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("dur")] double Dur);
