using Lab.Client.Checks;

namespace Lab.Client.Scenarios;

/// <summary>One experiment, as read from one file in <c>scenarios/</c>: what it tests and how.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }
    public required string Description { get; init; }

    /// <summary>Claim ids of the catalogue this scenario tests; empty for an experiment of the user's own.</summary>
    public required IReadOnlyList<string> Claims { get; init; }

    /// <summary>The parameters as used (declared values, <c>--set</c> overrides, built-ins), in declaration order.</summary>
    public IReadOnlyList<ScenarioParameter> Parameters { get; init; } = [];

    /// <summary>Conditions over the parameters that held when the file was read (<c>requires:</c>).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>Server-Timing metric names checks and texts use (<c>timings:</c>).</summary>
    public IReadOnlyList<string> Timings { get; init; } = [];

    /// <summary>How many times each variant runs, interleaved (A B A B …).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>
    /// The repetitions a run makes: <c>--repeat</c> when given, never fewer than the scenario's own <c>repeat:</c>,
    /// which is the fewest its verdict needs (a paired comparison needs pairs).
    /// </summary>
    public int Repetitions(int? asked) => Math.Max(asked ?? 1, Repeat);

    /// <summary>A grid over parameters and knobs to run the scenario across (<c>./run-lab.sh sweep</c>); null for a single run.</summary>
    public Sweeps.SweepSpec? Sweep { get; init; }

    /// <summary>The user's own server, started per variant run instead of lab-server; null to use lab-server.</summary>
    public TargetSpec? Target { get; init; }

    /// <summary>Knobs of the backend process (section Lab of lab-server).</summary>
    public required IReadOnlyDictionary<string, string> BackendKnobs { get; init; }

    /// <summary>Knobs every variant's server starts with; a variant may override them.</summary>
    public required IReadOnlyDictionary<string, string> ServerKnobs { get; init; }

    public required IReadOnlyList<Variant> Variants { get; init; }
    public required ClientOptions Client { get; init; }
    public required IReadOnlyList<CheckExpression> Checks { get; init; }

    /// <summary>Per check: the claim it bears on (null = every claim of the scenario) and, for a qualification, its text template.</summary>
    public IReadOnlyList<CheckRole> CheckRoles { get; init; } = [];

    /// <summary>Which suite runs it: quick (and full), full only, or none.</summary>
    public string Suite { get; init; } = "none";

    /// <summary>Per claim: the template of what the lab measured, and the chart to show.</summary>
    public IReadOnlyDictionary<string, ClaimEvidence> Evidence { get; init; } = new Dictionary<string, ClaimEvidence>();

    /// <summary>The file it came from and its text as given, recorded with every run.</summary>
    public required string SourcePath { get; init; }
    public required string SourceText { get; init; }
}

/// <summary>How to state what was measured for a claim: <c>{variant.group.stat}</c> placeholders filled from the run.</summary>
public sealed record ClaimEvidence(string Measured, string Chart = "latency");

/// <summary>
/// A named value of a scenario (<c>params:</c>): numbers and checks refer to it by name, texts and endpoints as
/// <c>{name}</c>. <see cref="Origin"/> says where the value used came from: the file, <c>--set</c>, or built in.
/// </summary>
public sealed record ScenarioParameter(string Name, double Value, string Origin, string? Unit = null, string? Description = null,
    double? Min = null, double? Max = null, bool WholeNumber = false)
{
    public const string FromFile = "file";
    public const string FromSet = "--set";
    public const string BuiltIn = "built-in";

    public string Text => Value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// How one check bears on the claims: an effect check (Qualifies null) must hold for the claim to be
/// reproduced; a qualification check, when it holds, qualifies the verdict with its filled-in text; a control
/// is the experiment's own condition — when it fails, the verdict is inconclusive.
/// </summary>
public sealed record CheckRole(string? Claim, string? Qualifies)
{
    public bool Control { get; init; }
}

/// <summary>One side of the comparison: a fresh server with these knobs, driven at these endpoints.</summary>
public sealed record Variant
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<EndpointShare> Endpoints { get; init; }

    /// <summary>The scenario's server knobs with this variant's overrides applied.</summary>
    public required IReadOnlyDictionary<string, string> ServerKnobs { get; init; }

    /// <summary>Environment variables for the server process (e.g. DOTNET_gcServer, DOTNET_Thread_DefaultStackSize).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required LoadProfile Load { get; init; }

    /// <summary>How the endpoint waits, for the queueing model the report puts beside the measurement; null for none.</summary>
    public Sweeps.SweepModelSpec? Model { get; init; }
}

/// <summary>An endpoint (path and query on the server) and its share of the requests.</summary>
public sealed record EndpointShare(string PathAndQuery, int Weight);

/// <summary>Client-side settings of the engine.</summary>
public sealed record ClientOptions
{
    /// <summary>Requests in flight beyond which new arrivals are dropped (and counted).</summary>
    public int InFlightCap { get; init; } = 10_000;

    /// <summary>Per-request client timeout; counted as outcome <c>timeout</c>.</summary>
    public double TimeoutS { get; init; } = 30;

    /// <summary>Requests sent (concurrently) to each fresh server before the load, not recorded.</summary>
    public int WarmupRequests { get; init; } = 3;

    /// <summary>Dispatch lag above this flags the run as client-limited; null = derived from the schedule's spacing.</summary>
    public double? LagThresholdMs { get; init; }

    /// <summary>The client's own connection cap; null = none. Requests wait for a slot before they are sent.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Seed of the random-rate phases and anything else random, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How long to wait for in-flight requests after the last phase before giving up on them.</summary>
    public double DrainS { get; init; } = 30;

    /// <summary>Stack snapshots of a stalled server at most per variant run; 0 = none.</summary>
    public int StackSnapshots { get; init; } = 3;

    /// <summary>
    /// The pool queue a stall must reach before the server is suspended for a snapshot: 8 by default, lower for a
    /// scenario whose stall is a few long-blocked requests rather than a flood (C7's serial pages).
    /// </summary>
    public int StackMinQueue { get; init; } = (int)Recording.Diagnostics.SnapshotTrigger.DefaultMinQueue;
}

/// <summary>
/// A server of the user's own: how to start it (a fresh process per variant run, stopped by its PID), where it
/// answers, and how to read its telemetry. <c>$PORT</c> and <c>$BACKEND</c> in the command, URL and environment
/// are filled at each start.
/// </summary>
public sealed record TargetSpec(
    IReadOnlyList<string> Command,
    string Url,
    string ReadyPath,
    double ReadyTimeoutS,
    IReadOnlyDictionary<string, string> Environment,
    string Telemetry,
    int SampleIntervalMs)
{
    public const string PortToken = "$PORT";
    public const string BackendToken = "$BACKEND";

    /// <summary>Whether the target needs the lab's backend (it names $BACKEND somewhere).</summary>
    public bool UsesBackend => Command.Any(c => c.Contains(BackendToken, StringComparison.Ordinal)) || Url.Contains(BackendToken, StringComparison.Ordinal)
        || Environment.Values.Any(v => v.Contains(BackendToken, StringComparison.Ordinal));
}
