using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lab.Client.Recording;

/// <summary>
/// <c>run.json</c>: everything needed to reproduce and judge a run — the scenario as given and as
/// resolved, every setting, the machine, .NET, git commit, command lines, start/end, and whether it is
/// complete (and why not). Rewritten atomically whenever its state changes, so a run cut off at any
/// point still describes itself.
/// </summary>
public sealed class RunManifest
{
    public string Status { get; set; } = "running";
    public bool Complete { get; set; }
    public List<string> Reasons { get; } = [];
    public required string RunId { get; init; }
    public required ScenarioInfo Scenario { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string CommandLine { get; init; }
    public required string Mode { get; init; }
    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? EndedUtc { get; set; }
    public ProcessInfo? Backend { get; set; }
    public List<VariantRun> Variants { get; } = [];
    public bool ClientLimited { get; set; }
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal)
    {
        ["requests"] = "requests.csv",
        ["clientMetrics"] = "client-metrics.csv",
        ["scenario"] = "scenario.yaml",
    };

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly Lock _lock = new();

    /// <summary>Writes run.json atomically (temp file, then rename).</summary>
    public void Save(string folder)
    {
        lock (_lock)
        {
            var path = Path.Combine(folder, "run.json");
            var temp = path + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
            File.Move(temp, path, overwrite: true);
        }
    }

    public static JsonNode? Read(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run.json")));
}

public sealed record ScenarioInfo(string Name, string File, IReadOnlyList<string> Claims, string Description, string Text, object Resolved);

public sealed record MachineInfo(
    string HostName, string Os, string Architecture, int ProcessorCount, long MemoryBytes,
    string Runtime, string RuntimeVersion, string? GitCommit, bool? GitDirty, string ClientVersion);

public sealed class ProcessInfo
{
    public string? Url { get; set; }
    public int? ProcessId { get; set; }
    public string? CommandLine { get; set; }
    public int? ExitCode { get; set; }
    public string? SamplesFile { get; set; }
    public JsonNode? Info { get; set; }
}

public sealed class VariantRun
{
    public required string Name { get; init; }
    public string Status { get; set; } = "pending";
    public string? Reason { get; set; }
    public DateTimeOffset? StartedUtc { get; set; }
    public DateTimeOffset? EndedUtc { get; set; }

    /// <summary>Wall clock (Unix ms) of the load's t0: request times in requests.csv are ms after it.</summary>
    public long? T0UnixMs { get; set; }
    public double? DurationS { get; set; }
    public ProcessInfo Server { get; } = new();
    public Dictionary<string, long> Outcomes { get; set; } = [];
    public long Scheduled { get; set; }
    public long Sent { get; set; }
    public double? LagP50Ms { get; set; }
    public double? LagP99Ms { get; set; }
    public double? LagMaxMs { get; set; }
    public bool ClientLimited { get; set; }
    public List<string> ClientLimitedWhy { get; } = [];
}
