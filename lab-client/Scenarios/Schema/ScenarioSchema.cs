using Lab.Client.Checks;

namespace Lab.Client.Scenarios.Schema;

/// <summary>
/// Every key a scenario file may use, section by section: the one table the loader validates with, the JSON
/// Schema (<c>scenarios/scenario.schema.json</c>) is generated from, and the key reference of
/// <c>scenarios/README.md</c> is written from. Tests keep both files equal to what this table generates.
/// </summary>
public static class ScenarioSchema
{
    private const string DurationHelp = "Seconds this phase lasts.";

    private static Field Duration => new("durationS", FieldType.Number, DurationHelp)
    {
        Required = true, Unit = "s", Min = 0.001, Max = ScenarioLimits.MaxProfileDurationS, Example = "4",
    };

    private static Field Rate(string key, string description, double min = 0) => new(key, FieldType.Number, description)
    {
        Required = true, Unit = "requests/s", Min = min, Max = 100_000, Example = "200",
    };

    private static Field Users(string key, string description, double min) => new(key, FieldType.WholeNumber, description)
    {
        Required = true, Unit = "users", Min = min, Max = 100_000, Example = "8",
    };

    public static readonly IReadOnlyList<PhaseKind> Phases =
    [
        new("inject", "open", new("inject", "Open model: a constant rate, evenly spaced (k6 constant-arrival-rate, NBomber Inject).",
            [Rate("ratePerS", "Arrivals per second.", 0.001), Duration])),
        new("ramp", "open", new("ramp", "Open model: the rate goes linearly from fromPerS to toPerS (NBomber RampingInject).",
            [Rate("fromPerS", "Rate at the start."), Rate("toPerS", "Rate at the end."), Duration])),
        new("randomRate", "open", new("randomRate", "Open model: each second a rate drawn uniformly between the bounds (NBomber InjectRandom), seeded by client.seed.",
            [Rate("minPerS", "Lowest rate."), Rate("maxPerS", "Highest rate.", 0.001), Duration])),
        new("pause", "both", new("pause", "Either model: nothing is sent for the duration; recovery shows here.", [Duration])),
        new("keepConcurrent", "closed", new("keepConcurrent", "Closed model: N users sending back to back (NBomber KeepConstant, k6 constant-vus).",
            [Users("users", "Users.", 1), Duration])),
        new("rampConcurrent", "closed", new("rampConcurrent", "Closed model: users go linearly from fromUsers to toUsers (NBomber RampingConstant, k6 ramping-vus).",
            [Users("fromUsers", "Users at the start.", 0), Users("toUsers", "Users at the end.", 0), Duration])),
    ];

    public static readonly Section Load = new("load", "The load profile: a model and its phases, one after another.",
    [
        new("model", FieldType.Choice,
            "open: arrivals follow the schedule whatever the server does, so a stall shows up as latency (measured from the intended send time) "
            + "and as requests piling up in flight — what bursty traffic does to a server. closed: N users each wait for their answer before "
            + "sending again, so the load slows down with the server and hides stalls (coordinated omission) — a fixed pool of callers.")
        {
            Required = true, Choices = ["open", "closed"], Example = "open",
        },
        new("phases", FieldType.Phases, "The phases, one after another; at most an hour in all.")
        {
            Required = true, MinItems = 1, MaxItems = 100, Example = "[ { inject: { ratePerS: 200, durationS: 4 } } ]",
        },
    ]);

    public static readonly Section MixItem = new("mix item", "One endpoint of a weighted mix.",
    [
        new("endpoint", FieldType.Endpoint, "Path and query on the server.") { Required = true, Example = "/fast", MaxLength = 2_000 },
        new("weight", FieldType.WholeNumber, "Its share of the requests, relative to the others.") { Required = true, Min = 1, Max = 1_000, Example = "9" },
    ]);

    public static readonly Section SweepModel = new("model",
        "What the sweep's model needs to know about the experiment, so it can predict each cell from first principles: Little's law, the pool's injection rate, the limits.",
    [
        new("style", FieldType.Choice, "How the endpoint waits for the backend: awaiting (holds no thread) or blocking (holds a pool thread for the whole call; blockingTask for Task.Wait, which the pool compensates for).")
        {
            Required = true, Choices = ["awaiting", "blocking", "blockingTask"], Example = "blocking",
        },
        new("delayMs", FieldType.Number, "The backend delay each request waits for (a number or a parameter).") { Required = true, Min = 0, Max = 3_600_000, Unit = "ms", Example = "delayMs" },
        new("calls", FieldType.WholeNumber, "Backend calls per request, one after another.") { Min = 1, Max = 100, Default = "1", Example = "1" },
    ]);

    public static readonly Section Variant = new("variant", "One side of the comparison: a fresh server process (cold thread pool) with these knobs, driven at these endpoints.",
    [
        new("name", FieldType.Text, "Checks and texts refer to it (sync.latency.p99).")
        {
            Required = true, Pattern = "^[A-Za-z][A-Za-z0-9_]*$", PatternText = "a letter then letters, digits or '_' (checks refer to it, e.g. sync.latency.p99)",
            MaxLength = ScenarioLimits.MaxVariantNameLength, Example = "sync",
        },
        new("description", FieldType.Text, "What this variant is, in a phrase; {param} placeholders are filled.") { Example = "blocking HttpClient.Send" },
        new("endpoint", FieldType.Endpoint, "Path and query on the server; {param} placeholders are filled. Exactly one of endpoint or mix.")
        {
            Example = "/sync?delayMs={delayMs}", MaxLength = 2_000,
        },
        new("mix", FieldType.List, "A weighted mix of endpoints (C13), sent in a smooth round-robin. Exactly one of endpoint or mix.")
        {
            MinItems = 1, MaxItems = 100, Item = new Field("item", FieldType.Mapping, "An endpoint and its weight.") { Section = MixItem },
        },
        new("server", FieldType.Knobs, "This variant's server settings, over the scenario's.") { Role = "server", Example = "{ minWorkerThreads: 200 }" },
        new("env", FieldType.Map, "Environment variables of this variant's server process, e.g. DOTNET_gcServer: \"0\", DOTNET_Thread_DefaultStackSize: \"100000\" (hex).")
        {
            KeyPattern = "^[A-Za-z_][A-Za-z0-9_]*$", KeyPatternText = "an environment variable name (letters, digits, '_')", MaxItems = 100,
            Item = new Field("value", FieldType.Text, "The variable's value; {param} placeholders are filled.") { MaxLength = 2_000 },
        },
        new("load", FieldType.Mapping, "This variant's own load profile, instead of the scenario's.") { Section = Load },
        new("model", FieldType.Mapping, "How this variant's endpoint waits, so the report can put the queueing model's prediction beside the measurement.") { Section = SweepModel },
    ]);

    public static readonly Section Client = new("client", "The load client's own settings.",
    [
        new("inFlightCap", FieldType.WholeNumber, "Requests in flight beyond which new arrivals are dropped and counted.") { Min = 1, Max = 1_000_000, Default = "10000", Unit = "requests", Example = "10000" },
        new("timeoutS", FieldType.Number, "Per-request client timeout; counted as outcome timeout (a timed-out request has no latency).") { Min = 0.1, Max = 3_600, Default = "30", Unit = "s", Example = "8" },
        new("warmupRequests", FieldType.WholeNumber, "Requests sent concurrently to each fresh server before the load, not recorded.") { Min = 0, Max = 1_000, Default = "3", Unit = "requests", Example = "3" },
        new("lagThresholdMs", FieldType.Number, "Dispatch lag above this (at the statistic the sample size allows) flags the run client-limited; default: the schedule's spacing, at most 5 ms.")
        {
            Min = 0.01, Max = 10_000, Unit = "ms", Example = "5",
        },
        new("maxConnections", FieldType.WholeNumber, "The client's own connection cap. Requests wait for a slot before they are sent, so latency from the send hides that wait; latency from the intended time does not.")
        {
            Min = 1, Max = 100_000, Default = "none", Unit = "connections", Example = "100",
        },
        new("seed", FieldType.WholeNumber, "Seed for random-rate phases.") { Min = int.MinValue, Max = int.MaxValue, Default = "1", Example = "42" },
        new("drainS", FieldType.Number, "How long to wait for requests in flight after the last phase before counting them aborted.") { Min = 0, Max = 600, Default = "30", Unit = "s", Example = "8" },
        new("stackSnapshots", FieldType.WholeNumber, "Stack snapshots of a stalled server at most per variant run (each suspends it for a fraction of a second; the one at the largest pool queue is kept as stacks-<variant>.json); 0 takes none.")
        {
            Min = 0, Max = 10, Default = "3", Unit = "snapshots", Example = "0",
        },
        new("stackMinQueue", FieldType.WholeNumber, "The pool queue a stall must reach before the server is suspended for a stack snapshot; lower it for a stall of a few long-blocked requests rather than a flood.")
        {
            Min = 1, Max = 1_000_000, Default = "8", Unit = "work items", Example = "3",
        },
    ]);

    public static readonly Section Evidence = new("evidence", "How to state, for one claim, what this scenario measured. What the source says lives in the claims catalogue (docs/claims.md).",
    [
        new("measured", FieldType.Template, "A template of what the lab measured: {variant.group.stat} is filled with this run's number (the median over repetitions), {param} with the parameter's value, {= expression} with arithmetic over both, {runtime} with the .NET the server ran on. With repetitions a number reads as its median with [min–max] when they differed; a latency percentile the client's timeout cut off reads as '> 8 s (95 % timed out)'. No bare numbers: they go stale when a parameter changes.")
        {
            Required = true, Example = "sync p99 {sync.latency.p99} ms over a {delayMs} ms backend",
        },
        new("chart", FieldType.Choice, "The chart the claims report shows for this claim.")
        {
            Default = "latency", Choices = ReportCharts, Example = "queues",
        },
    ]);

    public static readonly Section CheckItem = new("check", "A check written as a mapping: it can name its claim, or make it a qualification.",
    [
        new("check", FieldType.Check, "The check itself.") { Required = true, MaxLength = ScenarioLimits.MaxCheckLength, Example = "sync.threads.max < 50" },
        new("claim", FieldType.Text, "The claim it bears on (default: every claim of the scenario).") { Pattern = "^C[0-9]+$", PatternText = "a claim id such as C1", MaxLength = 8, Example = "C3" },
        new("control", FieldType.Flag, "Makes it a control: a condition the experiment itself needs (the injected delay really happened). When it does not hold, the claim's verdict is inconclusive for that repetition, whatever the effect checks say.")
        {
            Default = "false", Example = "true",
        },
        new("qualifies", FieldType.Template, "Makes it a qualification: when it holds, the claim's verdict is 'reproduced with qualification' and this text (placeholders filled, as in measured, {runtime} too) says what differs. No bare numbers.")
        {
            Example = "only {sync.connections.max} backend connections opened",
        },
    ]);

    public static readonly Section Target = new("target",
        "Your own server instead of lab-server: the command that starts it (a fresh process per variant run, stopped by its PID like lab-server), where it answers, and its environment. "
        + "Its thread pool is read through its diagnostics port (the counters dotnet-counters shows), from a thread of the client's own, so a starved target is still sampled.",
    [
        new("command", FieldType.List, "The program and its arguments. $PORT becomes a free loopback port chosen at each start; $BACKEND the lab backend's URL (started only when used).")
        {
            Required = true, MinItems = 1, MaxItems = 100, Item = new Field("argument", FieldType.Text, "One argument; {param} placeholders are filled.") { MaxLength = 2_000 },
            Example = "[dotnet, ../myapp/bin/Release/net10.0/MyApp.dll, --urls, \"http://127.0.0.1:$PORT\"]",
        },
        new("url", FieldType.Text, "Where the target answers; the variants' endpoints are paths under it. Loopback unless the run is given --allow-remote.")
        {
            Required = true, MaxLength = 2_000, Example = "http://127.0.0.1:$PORT",
        },
        new("readyPath", FieldType.Endpoint, "Polled until the target answers anything, before the run starts.") { Default = "/", Example = "/health", MaxLength = 2_000 },
        new("readyTimeoutS", FieldType.Number, "How long the target may take to start answering.") { Min = 1, Max = 600, Default = "60", Unit = "s", Example = "30" },
        new("env", FieldType.Map, "Environment variables of the target process; a variant's env is added over them.")
        {
            KeyPattern = "^[A-Za-z_][A-Za-z0-9_]*$", KeyPatternText = "an environment variable name (letters, digits, '_')", MaxItems = 100,
            Item = new Field("value", FieldType.Text, "The variable's value; {param}, $PORT and $BACKEND are filled.") { MaxLength = 2_000 },
        },
        new("telemetry", FieldType.Choice, "eventpipe: read the target's runtime counters through its diagnostics port; none: load only.")
        {
            Default = "eventpipe", Choices = ["eventpipe", "none"], Example = "none",
        },
        new("sampleIntervalMs", FieldType.WholeNumber, "How often the target's counters are sampled.") { Min = 50, Max = 10_000, Default = "100", Unit = "ms", Example = "250" },
    ]);

    public static readonly Section Objective = new("objective",
        "How a sweep picks its recommendation: the cell that maximises (or minimises) one metric among those that meet every constraint.",
    [
        new("maximize", FieldType.Text, "The metric to maximise, as checks name it without the variant: throughput.mean.") { MaxLength = 60, Example = "throughput.mean" },
        new("minimize", FieldType.Text, "Or the metric to minimise: latency.p99.") { MaxLength = 60, Example = "latency.p99" },
        new("subjectTo", FieldType.List, "Constraints every candidate must meet, over metrics (no variant prefix) and parameters: latency.p99 <= 1000.")
        {
            MaxItems = 10, Item = new Field("constraint", FieldType.Check, "A comparison.") { MaxLength = ScenarioLimits.MaxCheckLength }, Example = "[latency.p99 <= 1000, share.503 <= 0.01]",
        },
        new("variant", FieldType.Text, "The variant whose metrics are judged (default: the first).") { MaxLength = ScenarioLimits.MaxVariantNameLength, Example = "async" },
    ]);

    public static readonly Section Sweep = new("sweep",
        "Runs the scenario once per cell of a grid over parameters and server knobs, each cell with fresh processes and its repetitions; reports every metric against the knobs, a model's prediction beside the measurement, and a recommendation.",
    [
        new("grid", FieldType.Map, "Each swept name — a parameter of this scenario or a server knob (camelCase) — with its values: a list, or { from, to, step } for numbers.")
        {
            Required = true, KeyPattern = "^[a-z][A-Za-z0-9]*$", KeyPatternText = "a parameter or server knob name", MaxItems = 6,
            Item = new Field("values", FieldType.Text, "A list of values, or { from, to, step }; for a knob, default leaves it unset (the server's own default)."),
            Example = "{ queueLimit: [100, 500, 1000], concurrencyLimit: { from: 50, to: 150, step: 50 } }",
        },
        new("zip", FieldType.List, "Groups of grid names whose values move together (same count), instead of all their combinations.")
        {
            MaxItems = 6, Item = new Field("group", FieldType.Text, "A list of grid names."), Example = "[[minWorkerThreads, maxWorkerThreads]]",
        },
        new("objective", FieldType.Mapping, "How to pick the recommended cell.") { Section = Objective },
        new("model", FieldType.Mapping, "What the model needs to predict each cell.") { Section = SweepModel },
        new("maxMinutes", FieldType.Number, "Refuse a plan estimated to take longer, unless --max-minutes allows more.") { Min = 0.1, Max = 24 * 60, Default = "30", Unit = "min", Example = "10" },
    ]);

    public static readonly Section Parameter = new("parameter", "A parameter written in full: its value and what values make sense.",
    [
        new("value", FieldType.Number, "The value.") { Required = true, Example = "500" },
        new("min", FieldType.Number, "Smallest value --set may give it.") { Example = "1" },
        new("max", FieldType.Number, "Largest value --set may give it.") { Example = "60000" },
        new("integer", FieldType.Flag, "Only whole numbers.") { Default = "false", Example = "true" },
        new("description", FieldType.Text, "What it is, in a phrase (shown in the report).") { MaxLength = 200, Example = "backend delay per call" },
    ]);

    public static readonly Section Top = new("scenario",
        "One experiment: the claims it tests, its parameters, the server knobs, the variants to compare (a fresh server process each), the load profile and the checks. Open with a comment naming the claim and the command that runs it.",
    [
        new("name", FieldType.Text, "Names the results folder.")
        {
            Required = true, Pattern = "^[a-z0-9][a-z0-9-]*$", PatternText = "lower-case letters, digits and '-' (it names the results folder)",
            MaxLength = ScenarioLimits.MaxScenarioNameLength, Example = "c1-burst",
        },
        new("description", FieldType.Text, "What the experiment does, in a few sentences; {param} placeholders are filled.") { Required = true, Example = "A burst of {ratePerS} requests/s …" },
        new("claims", FieldType.List, "Claim ids of the claims catalogue (docs/claims.md) this scenario tests; none for an experiment of your own.")
        {
            MaxItems = 20,
            Item = new Field("claim", FieldType.Text, "A claim id.") { Pattern = "^C[0-9]+$", PatternText = "a claim id such as C1 (docs/claims.md)", MaxLength = 8 },
            Example = "[C1]",
        },
        new("suite", FieldType.Choice, "Which suite runs this scenario: quick (the quick suite and the full one), full (only ./run-lab.sh suite --all), or none.")
        {
            Default = "none", Choices = ["quick", "full", "none"], Example = "quick",
        },
        new("params", FieldType.Map,
            "Named values the rest of the file refers to: by name in numbers and checks (durationS: burstS, serial.latency.p50 >= 0.8 * calls * delayMs), "
            + "as {name} in texts and endpoints (/sync?delayMs={delayMs}). Put the unit in the name, like every key. --set name=value overrides one; cpus is built in.")
        {
            KeyPattern = "^[a-z][A-Za-z0-9]*$", KeyPatternText = "a name: a lower-case letter, then letters and digits (e.g. delayMs)", MaxItems = 50,
            Item = new Field("parameter", FieldType.Mapping, "A number, or { value, min, max, integer, description }.") { Section = Parameter },
            Example = "{ delayMs: 500, calls: { value: 3, min: 1, max: 20, integer: true } }",
        },
        new("requires", FieldType.List,
            "Conditions on the parameters that make the experiment test its claim (the load needs more threads than the cap: ratePerS * delayMs / 1000 > maxThreads). "
            + "Checked when the file is read, so --set values that would not create the condition are an error before anything runs.")
        {
            MaxItems = 20, Item = new Field("condition", FieldType.Check, "A comparison over parameters and numbers.") { MaxLength = ScenarioLimits.MaxCheckLength },
            Example = "[ ratePerS * delayMs / 1000 > maxThreads ]",
        },
        new("timings", FieldType.List,
            "Server-Timing metrics the server reports per request (Server-Timing: begin;dur=0.2) that checks and texts use, as timing_<name>.p50 … .max, .mean, .count. The lab records every one it receives (server-timing.csv).")
        {
            MaxItems = 32, Item = new Field("name", FieldType.Text, "A Server-Timing metric name.") { Pattern = "^[A-Za-z][A-Za-z0-9_]*$", PatternText = "a Server-Timing metric name: a letter, then letters, digits or '_'", MaxLength = 40 },
            Example = "[begin, complete]",
        },
        new("repeat", FieldType.WholeNumber, "Run every variant at least this many times, fresh processes each, interleaved (A B A B …): the fewest the verdict needs; --repeat can ask for more, never fewer.")
        {
            Min = 1, Max = 50, Default = "1", Example = "3",
        },
        new("evidence", FieldType.Map, "Per claim id: how to state what the lab measured (the claims report shows it).")
        {
            KeyPattern = "^C[0-9]+$", KeyPatternText = "a claim id of this scenario", MaxItems = 20,
            Item = new Field("evidence", FieldType.Mapping, "What was measured, as a template.") { Section = Evidence },
        },
        new("sweep", FieldType.Mapping, "Turns the scenario into a sweep over a grid of parameters and knobs (./run-lab.sh sweep).") { Section = Sweep },
        new("target", FieldType.Mapping, "Run the variants against your own server, started by the lab, instead of lab-server (then variants may not set server knobs).") { Section = Target },
        new("backend", FieldType.Knobs, "Settings of the backend process (lab-server's Lab section).") { Role = "backend", Example = "{ sampleIntervalMs: 250 }" },
        new("server", FieldType.Knobs, "Settings every variant's server starts with; a variant's own 'server' overrides them.") { Role = "server", Example = "{ prewarmConnections: 6 }" },
        new("load", FieldType.Mapping, "The default load profile; a variant may have its own.") { Section = Load },
        new("variants", FieldType.List, "The sides of the comparison. Each runs against a fresh server process (cold thread pool).")
        {
            Required = true, MinItems = 1, MaxItems = 50, Item = new Field("variant", FieldType.Mapping, "A variant.") { Section = Variant },
        },
        new("client", FieldType.Mapping, "The load client's own settings.") { Section = Client },
        new("checks", FieldType.List,
            "Declarative checks over summary metrics, k6-threshold style: 'sync.latency.p99 > 5 * async.latency.p99'. A text is an effect check (it must hold "
            + "for the claim to be reproduced); a mapping can name its claim or make it a qualification. " + MetricHelp)
        {
            MaxItems = 200, ItemMayBeText = true,
            Item = new Field("check", FieldType.Mapping, "A check.") { Section = CheckItem, MaxLength = ScenarioLimits.MaxCheckLength },
        },
    ]);

    /// <summary>Every mapping section, in the order the reference lists them.</summary>
    public static readonly IReadOnlyList<Section> Sections = [Top, Parameter, Target, Sweep, Objective, SweepModel, Variant, MixItem, Load, Client, Evidence, CheckItem];

    /// <summary>The report's charts a claim can point to (outcomes-&lt;variant&gt; too).</summary>
    public static IReadOnlyList<string> ReportCharts => ["throughput", "latency", "threads", "queues", "memory", "memory-virtual", "memory-per-thread", "spectrum"];

    private static string MetricHelp =>
        "Metrics are variant.group.stat, with groups and stats: " + MetricCatalog.Describe() + "; parameters by name; numbers; + - * / and parentheses.";
}
