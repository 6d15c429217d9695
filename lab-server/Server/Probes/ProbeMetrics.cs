using System.Text;

namespace Lab.Server.Server.Probes;

/// <summary>
/// Every <c>Server-Timing</c> name the three probes report, per probe. The load client records each entry of
/// each response (name and <c>dur</c>) as a per-variant metric, so these names are the probes' public interface:
/// scenarios check them (e.g. C15: <c>begin</c> ≥ 0.8 × <c>setup</c>). The README's table is written from this
/// list, between <see cref="BeginMarker"/> and <see cref="EndMarker"/>, and a test keeps the two equal.
/// </summary>
public static class ProbeMetrics
{
    public const string BeginMarker = "<!-- probe-timings:begin -->";
    public const string EndMarker = "<!-- probe-timings:end -->";

    public const string Setup = "apm-setup";
    public const string Starved = "apm-starved";
    public const string Mix = "apm-mix";

    // C15: /probe/apm-setup
    public static readonly ProbeMetric SetupBegin = new(Setup, "begin", false, "time inside the Begin call (inside `GetResponse()` for `syncResponse`, the positive control)");
    public static readonly ProbeMetric SetupComplete = new(Setup, "complete", false, "from the start of that call until the whole exchange finished (response read and disposed)");
    public static readonly ProbeMetric SetupSetup = new(Setup, "setup", false, "time the slow `GetProxy` took (the injected setup delay, as it ran)");
    public static readonly ProbeMetric SetupRan = new(Setup, "setupRan", true, "`GetProxy` was called at all");
    public static readonly ProbeMetric SetupOnCaller = new(Setup, "setupOnCaller", true, "`GetProxy` ran on the calling thread while the call was still in progress (the claim)");
    public static readonly ProbeMetric SetupOnPool = new(Setup, "setupOnPool", true, "`GetProxy` ran on a thread-pool thread");
    public static readonly ProbeMetric SetupThrew = new(Setup, "threw", true, "a call of the API under test threw (the answer is then a 500)");

    // C16: /probe/apm-starved
    public static readonly ProbeMetric StarvedOccupy = new(Starved, "occupy", false, "time spent occupying the pool's workers before the Begin call");
    public static readonly ProbeMetric StarvedStarved = new(Starved, "starved", true, "every worker the pool may have (`GetMaxThreads`) was blocked and work was still queued");
    public static readonly ProbeMetric StarvedThrew = new(Starved, "threw", true, "the Begin call threw (the claim: `InvalidOperationException`; the answer is then a 500)");
    public static readonly ProbeMetric StarvedBegin = new(Starved, "begin", false, "time inside the Begin call, made from a dedicated thread while the pool was occupied");
    public static readonly ProbeMetric StarvedCallbackWhileStarved = new(Starved, "callbackWhileStarved", true, "the Begin call's callback ran before the pool was released");
    public static readonly ProbeMetric StarvedCallback = new(Starved, "callback", false, "from the start of the Begin call until its callback ran");
    public static readonly ProbeMetric StarvedAfterRelease = new(Starved, "afterRelease", false, "from the release of the pool until the callback ran (0 if it ran before)");
    public static readonly ProbeMetric StarvedComplete = new(Starved, "complete", false, "from the start of the Begin call until the whole exchange finished");

    // C17: /probe/apm-mix
    public static readonly ProbeMetric MixTotal = new(Mix, "total", false, "the whole sequence on one request, from creating it to the last byte read");
    public static readonly ProbeMetric MixStream = new(Mix, "stream", false, "getting the request stream (Begin/End or `GetRequestStream()`)");
    public static readonly ProbeMetric MixResponse = new(Mix, "response", false, "getting the response (Begin/End or `GetResponse()`), after the body was written");
    public static readonly ProbeMetric MixEchoed = new(Mix, "echoed", true, "the backend echoed exactly the body that was sent");
    public static readonly ProbeMetric MixThrew = new(Mix, "threw", true, "a step of the sequence threw (the answer is then a 500)");

    public static readonly IReadOnlyList<ProbeMetric> All =
    [
        SetupBegin, SetupComplete, SetupSetup, SetupRan, SetupOnCaller, SetupOnPool, SetupThrew,
        StarvedOccupy, StarvedStarved, StarvedThrew, StarvedBegin, StarvedCallbackWhileStarved, StarvedCallback, StarvedAfterRelease, StarvedComplete,
        MixTotal, MixStream, MixResponse, MixEchoed, MixThrew,
    ];

    /// <summary>The README's table of every name: probe, name, what <c>dur</c> holds, meaning.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| probe | `Server-Timing` name | `dur` | what it measures |\n");
        text.Append("|---|---|---|---|\n");
        foreach (var m in All)
        {
            text.Append($"| `/probe/{m.Probe}` | `{m.Name}` | {(m.IsYesNo ? "1 yes / 0 no" : "ms")} | {m.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }
}
