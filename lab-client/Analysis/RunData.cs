using System.Text.Json;
using Lab.Client.Recording;
using Lab.Client.Recording.Diagnostics;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>A phase of the load profile, as a band on the time axis.</summary>
public sealed record PhaseBand(int Index, string Label, double StartS, double EndS, bool IsPause);

/// <summary>
/// One variant run (a variant, one repetition) as recorded: its settings, its status, the server's samples.
/// Its requests stay on disk and are streamed by the analysis (<see cref="RequestLog"/>).
/// </summary>
public sealed record VariantRunData(VariantRun Run, ResolvedVariant Variant, int VariantIndex, IReadOnlyList<ServerSample> Samples, bool HasTelemetry)
{
    public string Name => Run.Name;
    public int Repetition => Run.Repetition;
    public string Status => Run.Status;
    public long T0UnixMs => Run.T0UnixMs ?? 0;
    public ResolvedLoad Load => Variant.Load;
    public double ProfileDurationS => Variant.Load.DurationS;
    public IReadOnlyList<PhaseBand> Phases => [.. Variant.Load.Phases.Select(p => new PhaseBand(p.Index, p.Label, p.StartS, p.EndS, p.IsPause))];
    public string Endpoints => Variant.EndpointText;

    /// <summary>The server's configured minimum of pool threads, as it reported it (null when not reported).</summary>
    public int? ConfiguredMinThreads => Run.Server.Info?["threadPool"]?["minWorkerThreads"] is { } n ? (int?)n : null;

    /// <summary>The runtime's thread-pool events of this run (why the pool grew); null when they were not recorded.</summary>
    public PoolEventLog? Events { get; init; }

    /// <summary>Where the threads were at the stall's worst moment; null when no snapshot was taken.</summary>
    public StackSnapshot? Stacks { get; init; }

    /// <summary>Every injection of the run, with its reason, in seconds after t0 (empty when events were not recorded).</summary>
    public IReadOnlyList<Injection> Injections => Events?.Injections(T0UnixMs) ?? [];

    public bool ClientLimited => Run.ClientLimited;
    public IReadOnlyList<string> ClientLimitedWhy => Run.ClientLimitedWhy;

    /// <summary>
    /// Where the samples came from: the diagnostics port when the counters file is the samples file (a server the lab
    /// did not write); lab-server's own sampler otherwise (its counters file, if any, is only a cross-check beside it).
    /// </summary>
    public TelemetrySource TelemetrySource => !HasTelemetry ? TelemetrySource.None
        : Run.Server.CountersFile is { } counters && counters == Run.Server.SamplesFile ? TelemetrySource.DiagnosticsPort
        : TelemetrySource.Sampler;
}

/// <summary>
/// A run folder read back from disk through the records it was written with: run.json, the sample files, and
/// the path of requests.csv. Everything the analysis and the report use comes from here, so a run can be
/// re-reported after the lab improves.
/// </summary>
public sealed record RunData(string Folder, RunManifest Manifest, IReadOnlyList<VariantRunData> Runs)
{
    public string ScenarioName => Manifest.Scenario.Name;
    public ResolvedScenario Scenario => Manifest.Scenario.Resolved;

    /// <summary>Status as recorded, or "incomplete" when the run says it is still running but its client process is gone.</summary>
    public string Status => ClientGone is null ? Manifest.Status : RunStatus.Incomplete;

    public bool Complete => Manifest.Complete && ClientGone is null;

    /// <summary>Why the run is incomplete: its own reasons, its variant runs' reasons, and a dead client if that is why.</summary>
    public IReadOnlyList<string> Reasons =>
        [.. Manifest.Reasons, .. ClientGone is { } gone ? [gone] : Array.Empty<string>(),
            .. Manifest.Variants.Where(v => v.Reason is not null).Select(v => $"{v.Label}: {v.Reason}")];

    /// <summary>
    /// Set when run.json still says "running" but the client that wrote it is no longer alive (killed, crashed,
    /// machine rebooted): such a run will never finish, and says so instead of "running" forever.
    /// </summary>
    public string? ClientGone { get; init; }

    public static RunData Load(string folder)
    {
        var manifest = RunManifest.Read(folder);
        var resolved = manifest.Scenario.Resolved;
        var runs = new List<VariantRunData>();
        foreach (var run in manifest.Variants)
        {
            var index = resolved.Variants.Select((v, i) => (v, i)).FirstOrDefault(x => x.v.Name == run.Name);
            if (index.v is null) continue;
            var samplesFile = Path.Combine(folder, run.Server.SamplesFile ?? $"samples-{run.Name}.jsonl");
            var samples = ReadSamples(samplesFile);
            runs.Add(new VariantRunData(run, index.v, index.i, samples, samples.Count > 0)
            {
                Events = run.Server.EventsFile is { } events ? PoolEventLog.Read(Path.Combine(folder, events)) : null,
                Stacks = run.Server.StacksFile is { } stacks ? StackSnapshot.Read(Path.Combine(folder, stacks)) : null,
            });
        }

        return new RunData(folder, manifest, runs) { ClientGone = ClientProcess.GoneReason(manifest) };
    }

    /// <summary>Reads a JSON-lines sample file, skipping a torn last line (a killed server's).</summary>
    public static IReadOnlyList<ServerSample> ReadSamples(string path)
    {
        if (!File.Exists(path)) return [];
        var samples = new List<ServerSample>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                if (JsonSerializer.Deserialize(line, ContractsJson.Default.ServerSample) is { } s) samples.Add(s);
            }
            catch (JsonException)
            {
                // Torn line.
            }
        }

        return samples;
    }
}
