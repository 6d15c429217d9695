using System.Text.Json.Serialization;
using Lab.Server.Diagnostics;
using Lab.Server.Server;

namespace Lab.Server.Hosting;

/// <summary>Source-generated JSON for the server's answers.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EndpointResult))]
[JsonSerializable(typeof(LabInfo))]
[JsonSerializable(typeof(LabCountersSnapshot))]
public sealed partial class ServerJson : JsonSerializerContext;
