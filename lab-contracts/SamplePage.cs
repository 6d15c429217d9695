using System.Text.Json.Serialization;

namespace Lab.Contracts;

/// <summary>
/// Answer of <c>GET /lab/samples?after=N</c>: the samples with a sequence above N, oldest first.
/// <see cref="FirstAvailableSeq"/> tells a late reader whether the bounded buffer already dropped
/// samples it never saw (then <c>after + 1 &lt; FirstAvailableSeq</c>).
/// </summary>
public sealed record SamplePage(
    [property: JsonPropertyName("firstAvailableSeq")] long FirstAvailableSeq,
    [property: JsonPropertyName("latestSeq")] long LatestSeq,
    [property: JsonPropertyName("samples")] IReadOnlyList<ServerSample> Samples);
