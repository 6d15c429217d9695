using System.Text.Json.Serialization;

namespace Lab.Server.Server.Probes;

/// <summary>Source-generated JSON for the probes' reports.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProbeReport))]
public sealed partial class ProbeJson : JsonSerializerContext;
