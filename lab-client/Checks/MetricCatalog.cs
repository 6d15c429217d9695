namespace Lab.Client.Checks;

/// <summary>
/// The summary metrics a check or a text can name, as <c>variant.group.stat</c> (e.g. <c>sync.latency.p99</c>).
/// Units: milliseconds for times, requests/s for rates, MB for memory, threads/s for injection.
/// Levels, maxima, the injection rate and the pool's events are over the load window (the sending phases) unless
/// named with a window: <c>sync.drain.queue.max</c> is the maximum after the last arrival, <c>sync.drain.injection.rate</c>
/// the pool's growth then, <c>sync.run.injection.rate</c> over both.
/// </summary>
public static class MetricCatalog
{
    private static readonly string[] s_percentiles = ["p50", "p90", "p95", "p99", "p999", "max", "mean"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["latency"] = s_percentiles,          // answered requests only, from the intended send time (no coordinated omission), ms
        ["latencyWithTimeouts"] = s_percentiles, // the same with each client timeout counted at the timeout, ms
        ["serviceTime"] = s_percentiles,      // answered requests, from the actual send, ms
        ["lag"] = ["p50", "p90", "p99", "max"], // dispatch lag: actual − intended send, ms
        ["throughput"] = ["mean", "max"],     // 2xx per second: mean over the profile or until the last answer if later; max = best second
        ["offered"] = ["mean", "max"],        // scheduled arrivals per second
        ["count"] = ["scheduled", "sent", "ok", "503", "5xx", "4xx", "timeout", "error", "dropped", "aborted", "answered"],
        ["share"] = ["ok", "503", "5xx", "timeout", "error", "dropped", "aborted"], // fraction of scheduled, 0–1
        ["threads"] = ["start", "max", "final"],        // dotnet.thread_pool.thread.count
        ["osThreads"] = ["max"],
        ["queue"] = ["max"],                  // dotnet.thread_pool.queue.length
        ["limiterQueue"] = ["max"],
        ["injection"] = ["rate"],             // pool threads added per second while work was queued (in the window)
        ["memory"] = ["rssMax", "privateMax", "virtualMax", "gcHeapMax"], // MB
        ["connections"] = ["max"],            // open backend connections
        ["inFlight"] = ["max"],               // requests inside the server (http.server.active_requests)
        ["outstanding"] = ["max"],            // requests the client sent and had no answer for yet
        ["memoryPerThread"] = ["rssKb", "privateKb", "virtualKb"], // KB per extra OS thread (slope; needs ≥ 50 threads of range)
        ["recovery"] = ["s", "cleared"],      // s: from the end of the last sending phase to the last answer (a lower bound when not cleared); cleared: 1 when the backlog was answered, 0 when it ended in timeouts, errors or requests still in flight
        // Why the pool grew (the runtime's thread-pool events): threads added in total and per reason, e.g. injections.cooperativeBlocking.
        ["injections"] = Analysis.Analyzer.InjectionStats,
        ["workers"] = Analysis.Analyzer.WorkerStats,   // worker threads started and retired; most blocked in a wait at once
        // Where the threads were (the stack snapshot at the largest queue): threads, the largest group and its share, the queue then, the pause.
        ["stacks"] = Analysis.Analyzer.StackStats,
    };

    /// <summary>
    /// Windows a metric can be named in: <c>load</c> (the sending phases; the default, no window named), <c>drain</c>
    /// (after the last arrival) and <c>run</c> (the whole observation, both of them).
    /// </summary>
    public static readonly IReadOnlyList<string> Windows = ["load", "drain", "run"];

    /// <summary>Groups measured per window: what the server and the client held at most, during the load or after it.</summary>
    public static readonly IReadOnlyList<string> WindowedGroups =
        ["threads", "osThreads", "queue", "limiterQueue", "connections", "inFlight", "outstanding", "memory", "injection", "injections", "workers"];

    /// <summary>Stats of a <c>Server-Timing</c> metric the scenario declares under <c>timings:</c>, named <c>timing_&lt;name&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> TimingStats = ["p50", "p90", "p99", "max", "mean", "count"];

    public const string TimingPrefix = "timing_";

    public static bool IsKnown(string group, string stat) => Groups.TryGetValue(group, out var stats) && stats.Contains(stat);

    /// <summary>Also knows the scenario's declared Server-Timing metrics.</summary>
    public static bool IsKnown(MetricRef metric, IReadOnlyCollection<string> timings)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(timings);
        return metric.Window is null && metric.Group.StartsWith(TimingPrefix, StringComparison.Ordinal)
            ? timings.Contains(metric.Group[TimingPrefix.Length..]) && TimingStats.Contains(metric.Stat)
            : IsKnown(metric);
    }

    public static bool IsKnown(MetricRef metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return IsKnown(metric.Group, metric.Stat)
            && (metric.Window is null || (Windows.Contains(metric.Window) && WindowedGroups.Contains(metric.Group)));
    }

    public static string Describe() =>
        string.Join("; ", Groups.Select(g => $"{g.Key}.{{{string.Join(",", g.Value)}}}"))
        + $"; with a window ({string.Join(", ", Windows)}) before {string.Join(", ", WindowedGroups)}, e.g. drain.queue.max"
        + $"; and timing_<name>.{{{string.Join(",", TimingStats)}}} for each Server-Timing metric the scenario declares under timings:";
}
