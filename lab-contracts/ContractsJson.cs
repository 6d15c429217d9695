using System.Text.Json.Serialization;

namespace Lab.Contracts;

/// <summary>Source-generated JSON for the contracts: no reflection on the sampler's hot path.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ServerSample))]
[JsonSerializable(typeof(SamplePage))]
[JsonSerializable(typeof(PoolEvent))]
[JsonSerializable(typeof(Dictionary<string, long>))]
public sealed partial class ContractsJson : JsonSerializerContext;
