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
    /// Every rise of the pool's goal, with its reason: an adjustment's new goal minus the goal before it (the pool's
    /// minimum at the start, raised with the minimum when it changed). A fall (a retired thread, a blocked thread that
    /// returned) is not an injection. Cooperative-blocking adjustments follow each blocked thread up and down, so only
    /// the rises count.
    /// </summary>
    public IReadOnlyList<Injection> Injections(long t0UnixMs)
    {
        var list = new List<Injection>();
        int? goal = null;
        foreach (var e in Events)
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

    /// <summary>Pool workers blocked in a wait (Monitor.Wait: Task.Wait, GetResult…) after each change, as a step series.</summary>
    public IReadOnlyList<(double TimeS, int Blocked)> BlockedWorkers(long t0UnixMs)
    {
        var series = new List<(double, int)>();
        var waiting = new HashSet<long>();
        foreach (var e in Events)
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
