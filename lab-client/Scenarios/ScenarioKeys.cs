namespace Lab.Client.Scenarios;

/// <summary>
/// Every key a scenario file may use, per object. The loader accepts exactly these, and a test keeps
/// <c>scenarios/scenario.schema.json</c> in step with them, so editors and <c>validate</c> agree.
/// </summary>
public static class ScenarioKeys
{
    public static readonly string[] Top = ["name", "description", "claims", "suite", "evidence", "backend", "server", "load", "variants", "client", "checks"];
    public static readonly string[] Evidence = ["source", "says", "measured", "chart"];
    public static readonly string[] Charts = ["throughput", "latency", "threads", "queues", "memory", "memory-virtual", "memory-per-thread", "spectrum"];
    public static readonly string[] CheckItem = ["check", "claim", "qualifies"];
    public static readonly string[] Suites = ["quick", "full", "none"];
    public static readonly string[] Variant = ["name", "description", "endpoint", "mix", "server", "env", "load"];
    public static readonly string[] MixItem = ["endpoint", "weight"];
    public static readonly string[] Load = ["model", "phases"];
    public static readonly string[] Client = ["inFlightCap", "timeoutS", "warmupRequests", "lagThresholdMs", "maxConnections", "seed", "drainS"];

    /// <summary>Phase kinds and their parameters.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Phases = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["inject"] = ["ratePerS", "durationS"],
        ["ramp"] = ["fromPerS", "toPerS", "durationS"],
        ["randomRate"] = ["minPerS", "maxPerS", "durationS"],
        ["pause"] = ["durationS"],
        ["keepConcurrent"] = ["users", "durationS"],
        ["rampConcurrent"] = ["fromUsers", "toUsers", "durationS"],
    };

    public static readonly string[] OpenPhases = ["inject", "ramp", "randomRate", "pause"];
    public static readonly string[] ClosedPhases = ["keepConcurrent", "rampConcurrent", "pause"];
}
