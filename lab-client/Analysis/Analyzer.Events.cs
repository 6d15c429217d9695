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

    /// <summary>Over the run from t0 to the end of the last interval; every reason is present (0 when it never happened) so checks can name it.</summary>
    private static void PoolEventMetrics(Dictionary<string, double> m, VariantRunData v, double endS)
    {
        if (v.Events is not { } log) return;
        var injections = log.Injections(v.T0UnixMs).Where(i => i.TimeS >= 0 && i.TimeS <= endS).ToList();
        m["injections.total"] = injections.Sum(i => i.Added);
        foreach (var reason in PoolEventKinds.Reasons) m[$"injections.{reason}"] = injections.Where(i => i.Reason == reason).Sum(i => i.Added);
        m["workers.started"] = log.Count(PoolEventKinds.WorkerStart, v.T0UnixMs, 0, endS);
        m["workers.stopped"] = log.Count(PoolEventKinds.WorkerStop, v.T0UnixMs, 0, endS);
        if (!log.HasWaits) return;
        var blocked = log.BlockedWorkers(v.T0UnixMs).Where(b => b.TimeS >= 0 && b.TimeS <= endS).Select(b => (double)b.Blocked).ToList();
        m["workers.blockedMax"] = blocked.Count == 0 ? 0 : blocked.Max();
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
