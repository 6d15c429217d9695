using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>Why the pool grew and where its threads waited: the runtime's events and the stack snapshot, per interval and as summary metrics.</summary>
public static partial class Analyzer
{
    /// <summary>The summary metrics of the events: <c>injections.total</c>, one <c>injections.&lt;reason&gt;</c> per reason (0 when absent), workers started, stopped and most blocked (with <c>PoolEvents=waits</c>).</summary>
    public static readonly IReadOnlyList<string> InjectionStats = ["total", .. PoolEventKinds.Reasons];

    public static readonly IReadOnlyList<string> WorkerStats = ["started", "stopped", "blockedMax"];

    public static readonly IReadOnlyList<string> StackStats = ["threads", "top", "topShare", "queue", "pauseMs"];

    /// <summary>The rows with the threads added per reason and the most workers blocked in a wait, interval by interval.</summary>
    private static List<IntervalRow> WithPoolEvents(VariantRunData v, List<IntervalRow> rows, double bucketS)
    {
        if (v.Events is not { } log || rows.Count == 0) return rows;
        var byInterval = new Dictionary<int, Dictionary<string, int>>();
        foreach (var i in log.Injections(v.T0UnixMs))
        {
            // Before t0 (warm-up) or after the record's last interval: not in any row (the summary counts from t0 too).
            var index = (int)Math.Floor(i.TimeS / bucketS);
            if (i.TimeS < 0 || index >= rows.Count) continue;
            if (!byInterval.TryGetValue(index, out var reasons)) byInterval[index] = reasons = new Dictionary<string, int>(StringComparer.Ordinal);
            reasons[i.Reason] = reasons.GetValueOrDefault(i.Reason) + i.Added;
        }

        var blocked = log.BlockedWorkers(v.T0UnixMs);
        var result = new List<IntervalRow>(rows.Count);
        var next = 0;
        var current = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var end = row.StartS + row.WidthS;
            // The level at the interval's start, and every level it took inside it.
            while (next < blocked.Count && blocked[next].TimeS < row.StartS) current = blocked[next++].Blocked;
            var max = current;
            while (next < blocked.Count && blocked[next].TimeS < end)
            {
                current = blocked[next++].Blocked;
                max = Math.Max(max, current);
            }

            result.Add(row with
            {
                Injections = byInterval.TryGetValue(r, out var reasons) ? reasons : new Dictionary<string, int>(),
                BlockedWorkers = log.HasWaits ? max : null,
            });
        }

        return result;
    }

    /// <summary>
    /// Over one window, from <paramref name="fromS"/> (inclusive) to <paramref name="toS"/> (exclusive for the load,
    /// inclusive where the window ends with the record); every reason is present (0 when it never happened) so checks can name it.
    /// </summary>
    private static void PoolEventMetrics(Dictionary<string, double> m, string window, VariantRunData v, double fromS, double toS, bool last)
    {
        if (v.Events is not { } log) return;
        bool In(double t) => t >= fromS && (t < toS || (last && t <= toS));
        var injections = log.Injections(v.T0UnixMs).Where(i => In(i.TimeS)).ToList();
        m[$"{window}.injections.total"] = injections.Sum(i => i.Added);
        foreach (var reason in PoolEventKinds.Reasons) m[$"{window}.injections.{reason}"] = injections.Where(i => i.Reason == reason).Sum(i => i.Added);
        var end = last ? toS : Math.BitDecrement(toS);
        m[$"{window}.workers.started"] = log.Count(PoolEventKinds.WorkerStart, v.T0UnixMs, fromS, end);
        m[$"{window}.workers.stopped"] = log.Count(PoolEventKinds.WorkerStop, v.T0UnixMs, fromS, end);
        if (!log.HasWaits) return;
        // A level: the one held when the window opened counts, and every one it took inside.
        var levels = log.BlockedWorkers(v.T0UnixMs);
        var atStart = levels.Where(b => b.TimeS < fromS).Select(b => b.Blocked).LastOrDefault();
        m[$"{window}.workers.blockedMax"] = levels.Where(b => In(b.TimeS)).Select(b => b.Blocked).Append(atStart).Max();
    }

    private static void StackMetrics(Dictionary<string, double> m, VariantRunData v)
    {
        if (v.Stacks is not { } s) return;
        m["stacks.threads"] = s.Threads;
        m["stacks.top"] = s.Top;
        m["stacks.topShare"] = s.TopShare;
        m["stacks.queue"] = s.QueueLength;
        m["stacks.pauseMs"] = s.PauseMs;
    }
}
