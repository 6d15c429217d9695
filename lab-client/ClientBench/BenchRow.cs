namespace Lab.Client.ClientBench;

/// <summary>
/// One row of the capacity table: a tool driving <c>/fast</c> for a fixed time. Rates per second; lag and CPU in ms.
/// The lab client's rows are open-model (a target rate, dispatch lag, drops); wrk's and hey's are closed-model
/// (no target unless hey is rate-limited, no lag, no drops). CPU is the tool's own process CPU per 1,000 answered
/// requests: for the client, its process CPU during the load's steady seconds (client-metrics.csv, which it takes
/// from its own process counters), for wrk and hey their whole run (getrusage of the finished child). Steal is the
/// share of all CPUs' time the hypervisor took during the row (/proc/stat), null where it cannot be read.
/// </summary>
public sealed record BenchRow(
    string Tool,
    string Model,
    double? TargetPerS,
    double AchievedPerS,
    double? LagP50Ms,
    double? LagP99Ms,
    double? LagMaxMs,
    long? Dropped,
    double CpuMsPer1k,
    bool ClientLimited,
    double LoadAverage1m,
    string Command,
    string? Note = null,
    double? StealPct = null);
