using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lab.Client.Recording;

/// <summary>
/// <c>run.json</c>: everything needed to reproduce and judge a run — the scenario as given and as resolved
/// (parameters included), every setting, the machine, .NET, git commit, command lines, the client process,
/// start/end, and whether it is complete (and why not). Rewritten atomically whenever its state changes, so
/// a run cut off at any point still describes itself; read back through this same type.
/// </summary>
public sealed class RunManifest
{
    /// <summary>Version of this file's layout; a reader refuses a version it does not know, with the reason.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public string Status { get; set; } = RunStatus.Running;
    public bool Complete { get; set; }
    public List<string> Reasons { get; init; } = [];
    public required string RunId { get; init; }
    public required ScenarioInfo Scenario { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string CommandLine { get; init; }
    public required string Mode { get; init; }

    /// <summary>The client process writing this run: a later reader can tell a run still going from one whose client was killed.</summary>
    public ClientProcessInfo? Client { get; init; }

    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? EndedUtc { get; set; }
    public ProcessInfo? Backend { get; set; }

    /// <summary>One entry per variant and repetition, in the order they ran.</summary>
    public List<VariantRun> Variants { get; init; } = [];
    public bool ClientLimited { get; set; }
    public Dictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal)
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

    /// <summary>Reads a run folder's run.json through this type; a missing, unreadable or unknown-version file is an <see cref="InvalidDataException"/> saying so.</summary>
    public static RunManifest Read(string folder)
    {
        var path = Path.Combine(folder, "run.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{folder} is not a run folder: it has no run.json.", path);
        }

        var text = File.ReadAllText(path);
        int version;
        try
        {
            version = (int?)JsonNode.Parse(text)?["formatVersion"] ?? 1;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {ex.Message}", ex);
        }

        if (version != CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"{path} has format version {version}; this lab reads version {CurrentFormatVersion}. " +
                (version < CurrentFormatVersion ? "It was written by an older lab: run the scenario again, or report it with the lab version that wrote it." : "It was written by a newer lab."));
        }

        try
        {
            return JsonSerializer.Deserialize<RunManifest>(text, Json) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} does not match run.json format {CurrentFormatVersion}: {ex.Message}", ex);
        }
    }
}

public static class RunStatus
{
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";
}

public sealed record ScenarioInfo(string Name, string File, IReadOnlyList<string> Claims, string Description, string Text, ResolvedScenario Resolved);

/// <summary>
/// The machine a run was made on. <c>CpuModel</c> is the processor's model name (Linux: <c>/proc/cpuinfo</c>); null
/// where unknown, and in runs recorded before it was.
/// </summary>
public sealed record MachineInfo(
    string HostName, string Os, string Architecture, int ProcessorCount, long MemoryBytes,
    string Runtime, string RuntimeVersion, string? GitCommit, bool? GitDirty, string ClientVersion, string? CpuModel = null)
{
    /// <summary>"Debian GNU/Linux 12, X64, Intel(R) Xeon(R) Processor, 2 cores, 24 GiB": the hardware, as every report shows it.</summary>
    public string Hardware => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Os}, {Architecture}, {(CpuModel is null ? "" : CpuModel + ", ")}{ProcessorCount} cores, {MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB");
}

/// <summary>The client process: its PID and the kernel's start time for it (so a reused PID is not mistaken for it).</summary>
public sealed record ClientProcessInfo(int ProcessId, long? StartTicks, string HostName);

public sealed class ProcessInfo
{
    public string? Url { get; set; }
    public int? ProcessId { get; set; }
    public string? CommandLine { get; set; }
    public int? ExitCode { get; set; }
    public string? SamplesFile { get; set; }

    /// <summary>The runtime's counters read through the process's diagnostics port, when they were (a cross-check beside a lab-server's own samples).</summary>
    public string? CountersFile { get; set; }

    /// <summary>The runtime's thread-pool events (why the pool grew): <c>events-&lt;variant&gt;.jsonl</c>, when recorded.</summary>
    public string? EventsFile { get; set; }

    /// <summary>The stack snapshot at the stall's worst moment (where the threads waited): <c>stacks-&lt;variant&gt;.json</c>, when one was taken.</summary>
    public string? StacksFile { get; set; }

    /// <summary>How long the server was stopped before the load while the stack agent loaded the DAC and compiled its walk, ms.</summary>
    public double? StacksWarmPauseMs { get; set; }

    /// <summary>Why stack snapshots could not be taken or stopped early (the agent died, hung, or could not read the process).</summary>
    public string? StacksFailure { get; set; }

    /// <summary>Why the diagnostics port's counters could not be read, when they were asked for and could not be.</summary>
    public string? CountersFailure { get; set; }

    /// <summary>The server's own description of itself (<c>/lab/info</c>), as it sent it.</summary>
    public JsonNode? Info { get; set; }
}

public sealed class VariantRun
{
    public required string Name { get; init; }

    /// <summary>1-based; variants run interleaved, so repetition 2 of every variant comes after repetition 1 of all.</summary>
    public int Repetition { get; init; } = 1;

    public string Status { get; set; } = "pending";
    public string? Reason { get; set; }
    public DateTimeOffset? StartedUtc { get; set; }
    public DateTimeOffset? EndedUtc { get; set; }

    /// <summary>Wall clock (Unix ms) of the load's t0: request times in requests.csv are ms after it.</summary>
    public long? T0UnixMs { get; set; }
    public double? DurationS { get; set; }
    public ProcessInfo Server { get; init; } = new();
    public Dictionary<string, long> Outcomes { get; set; } = [];
    public long Scheduled { get; set; }
    public long Sent { get; set; }
    public double? LagP50Ms { get; set; }
    public double? LagP99Ms { get; set; }
    public double? LagMaxMs { get; set; }

    /// <summary>What the open-model dispatcher thread got from the kernel (nice, slice, timer slack): lag depends on it.</summary>
    public string? DispatcherScheduling { get; set; }
    public bool ClientLimited { get; set; }
    public List<string> ClientLimitedWhy { get; init; } = [];

    public string Label => Repetition == 1 ? Name : $"{Name} (repetition {Repetition})";
}
