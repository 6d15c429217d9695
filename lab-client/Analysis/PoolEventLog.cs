using System.Text.Json;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>
/// The runtime's thread-pool events of one variant run (<c>events-&lt;variant&gt;.jsonl</c>), read back with the record
/// they were written with, and what they say: each injection with its reason, and how many pool workers were blocked in
/// a wait at each moment. Times are seconds after the variant run's t0, from the events' <c>unixMs</c>, like samples.
/// </summary>
public sealed record PoolEventLog(IReadOnlyList<PoolEvent> Events, bool Truncated)
{
    /// <summary>At most this many lines are read: a file can be bounded by its run, a reader must be bounded anyway.</summary>
    public const int MaxEvents = 2_000_000;

    /// <summary>Events the server dropped (its queue was full), from the <c>lost</c> records.</summary>
    public long Lost => Events.Where(e => e.Kind == PoolEventKinds.Lost).Sum(e => e.Count ?? 0);

    /// <summary>The file's format version (its first line), or null when the file has no start line.</summary>
    public int? Format => Events.FirstOrDefault(e => e.Kind == PoolEventKinds.Start)?.Format;

    /// <summary>Whether pool workers' waits were recorded: without them <see cref="BlockedWorkers"/> is empty and says nothing.</summary>
    public bool HasWaits => Events.FirstOrDefault(e => e.Kind == PoolEventKinds.Start)?.Waits == true || Events.Any(e => e.Kind == PoolEventKinds.WaitStart);

    /// <summary>Null when the file does not exist (not recorded); torn lines (a killed server's last) are skipped.</summary>
    public static PoolEventLog? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var events = new List<PoolEvent>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var truncated = false;
        while (reader.ReadLine() is { } line)
        {
            if (events.Count >= MaxEvents)
            {
                truncated = true;
                break;
            }

            try
            {
                if (JsonSerializer.Deserialize(line, ContractsJson.Default.PoolEvent) is { } e) events.Add(e);
            }
            catch (JsonException)
            {
                // Torn line.
            }
        }

        return new PoolEventLog(events, truncated);
    }

    /// <summary>
    /// Every thread the pool added beyond its minimum, with the reason: each worker start (a new OS thread) that took the
    /// pool above its minimum is attributed to the reason of the latest adjustment that raised the pool's goal. Threads
    /// up to the minimum are created on demand without an adjustment, and are not injections. (Counting the goal's rises
    /// instead would count cooperative blocking many times over: its goal follows every blocked thread up and down, and
    /// an idle thread already there is released without a new one — see <see cref="GoalRises"/>.)
    /// </summary>
    public IReadOnlyList<Injection> Injections(long t0UnixMs)
    {
        var list = new List<Injection>();
        var min = 0;
        int? goal = null;
        string? reason = null;
        foreach (var e in Ordered)
        {
            switch (e.Kind)
            {
                case PoolEventKinds.Start or PoolEventKinds.MinMax when e.MinThreads is { } m:
                    min = m;
                    goal = Math.Max(goal ?? m, m);
                    break;
                case PoolEventKinds.Adjustment when e.ThreadsGoal is { } next:
                    if (next > (goal ?? next)) reason = e.Reason ?? "unknown";
                    goal = next;
                    break;
                case PoolEventKinds.WorkerStart when e.ActiveWorkers is { } active && active > min:
                    list.Add(new Injection(Seconds(e, t0UnixMs), reason ?? "unknown", 1, goal ?? active));
                    break;
            }
        }

        return list;
    }

    /// <summary>
    /// Every rise of the pool's goal of worker threads, with its reason: an adjustment's new goal minus the goal before
    /// it (the minimum at the start, raised with the minimum). Falls (a retired thread, a blocked thread that returned)
    /// are left out.
    /// </summary>
    public IReadOnlyList<Injection> GoalRises(long t0UnixMs)
    {
        var list = new List<Injection>();
        int? goal = null;
        foreach (var e in Ordered)
        {
            switch (e.Kind)
            {
                case PoolEventKinds.Start or PoolEventKinds.MinMax when e.MinThreads is { } min:
                    goal = Math.Max(goal ?? min, min);
                    break;
                case PoolEventKinds.Adjustment when e.ThreadsGoal is { } next:
                    var before = goal ?? next;
                    if (next > before) list.Add(new Injection(Seconds(e, t0UnixMs), e.Reason ?? "unknown", next - before, next));
                    goal = next;
                    break;
            }
        }

        return list;
    }

    /// <summary>In the runtime's time order: events raised on different threads may reach the file slightly out of it.</summary>
    private IEnumerable<PoolEvent> Ordered => Events.OrderBy(e => e.UnixMs).ThenBy(e => e.Seq);

    /// <summary>Pool workers blocked in a wait (Monitor.Wait: Task.Wait, GetResult…) after each change, as a step series.</summary>
    public IReadOnlyList<(double TimeS, int Blocked)> BlockedWorkers(long t0UnixMs)
    {
        var series = new List<(double, int)>();
        var waiting = new HashSet<long>();
        foreach (var e in Ordered)
        {
            var changed = e.Kind switch
            {
                PoolEventKinds.WaitStart => waiting.Add(e.OsThreadId),
                PoolEventKinds.WaitStop or PoolEventKinds.WorkerStop => waiting.Remove(e.OsThreadId),
                _ => false,
            };
            if (changed) series.Add((Seconds(e, t0UnixMs), waiting.Count));
        }

        return series;
    }

    /// <summary>Worker threads the runtime started (new OS threads) between <paramref name="fromS"/> and <paramref name="toS"/>.</summary>
    public int Count(string kind, long t0UnixMs, double fromS, double toS) =>
        Events.Count(e => e.Kind == kind && Seconds(e, t0UnixMs) is var t && t >= fromS && t <= toS);

    private static double Seconds(PoolEvent e, long t0UnixMs) => (e.UnixMs - t0UnixMs) / 1000.0;
}
