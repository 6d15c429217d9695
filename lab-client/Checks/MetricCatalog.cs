namespace Lab.Client.Checks;

/// <summary>
/// The summary metrics a check can name, as <c>variant.group.stat</c> (e.g. <c>sync.latency.p99</c>).
/// Units: milliseconds for times, requests/s for rates, MB for memory, threads/s for injection.
/// </summary>
public static class MetricCatalog
{
    private static readonly string[] s_percentiles = ["p50", "p90", "p95", "p99", "p999", "max", "mean"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["latency"] = s_percentiles,          // from the intended send time (no coordinated omission), ms
        ["serviceTime"] = s_percentiles,      // from the actual send, ms
        ["lag"] = ["p50", "p99", "max"],      // dispatch lag: actual − intended send, ms
        ["throughput"] = ["mean", "max"],     // 2xx per second: mean over the profile or until the last answer if later; max = best second
        ["offered"] = ["mean", "max"],        // scheduled arrivals per second
        ["count"] = ["scheduled", "sent", "ok", "503", "5xx", "4xx", "timeout", "error", "dropped", "aborted"],
        ["share"] = ["ok", "503", "5xx", "timeout", "error", "dropped"], // fraction of scheduled, 0–1
        ["threads"] = ["start", "max", "final"],        // dotnet.thread_pool.thread.count
        ["osThreads"] = ["max"],
        ["queue"] = ["max"],                  // dotnet.thread_pool.queue.length
        ["limiterQueue"] = ["max"],
        ["injection"] = ["rate"],             // pool threads added per second while work was queued
        ["memory"] = ["rssMax", "privateMax", "virtualMax", "gcHeapMax"], // MB
        ["connections"] = ["max"],            // open backend connections
        ["inFlight"] = ["max"],               // requests inside the server (http.server.active_requests)
        ["memoryPerThread"] = ["rssKb", "privateKb", "virtualKb"], // KB per extra OS thread (slope; needs ≥ 50 threads of range)
        ["recovery"] = ["s"],                 // seconds from the end of the last sending phase to the last answer
    };

    public static bool IsKnown(string group, string stat) => Groups.TryGetValue(group, out var stats) && stats.Contains(stat);

    public static string Describe() => string.Join("; ", Groups.Select(g => $"{g.Key}.{{{string.Join(",", g.Value)}}}"));
}
