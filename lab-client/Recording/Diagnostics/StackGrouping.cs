namespace Lab.Client.Recording.Diagnostics;

/// <summary>Groups threads with identical stacks, largest group first — a pure function, so the grouping is tested without a process.</summary>
public static class StackGrouping
{
    /// <summary>Frames kept per thread (innermost first): deep enough to reach the endpoint under ASP.NET Core's pipeline.</summary>
    public const int MaxFrames = 64;

    public const string NoManagedFrames = "(no managed frames)";

    public static (IReadOnlyList<StackGroup> Groups, int OtherThreads) Group(IEnumerable<ThreadFrames> threads, int maxGroups = StackSnapshot.MaxGroups)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var groups = new Dictionary<string, (int Count, ThreadFrames First)>(StringComparer.Ordinal);
        foreach (var t in threads)
        {
            var frames = t.Frames.Count > MaxFrames ? [.. t.Frames.Take(MaxFrames)] : t.Frames;
            var key = string.Join('\n', frames);
            groups[key] = groups.TryGetValue(key, out var g) ? (g.Count + 1, g.First) : (1, t with { Frames = frames });
        }

        var ordered = groups.Values
            .OrderByDescending(g => g.Count)
            .ThenBy(g => string.Join('\n', g.First.Frames), StringComparer.Ordinal)
            .ToList();
        var kept = ordered.Take(maxGroups)
            .Select(g => new StackGroup(g.Count, g.First.Frames, Headline(g.First), g.First.FirstUserFrame < g.First.Frames.Count ? g.First.FirstUserFrame : -1))
            .ToList();
        return (kept, ordered.Skip(maxGroups).Sum(g => g.Count));
    }

    /// <summary>Threads per headline, largest first; threads beyond the kept groups under "(other stacks)".</summary>
    public static IReadOnlyList<HeadlineCount> ByHeadline(IEnumerable<StackGroup> groups, int otherThreads)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.GroupBy(g => g.Headline, StringComparer.Ordinal)
            .Select(g => new HeadlineCount(g.Key, g.Sum(x => x.Count)))
            .ToList();
        if (otherThreads > 0) list.Add(new HeadlineCount(OtherStacks, otherThreads));
        return [.. list.OrderByDescending(h => h.Count).ThenBy(h => h.Headline, StringComparer.Ordinal)];
    }

    public const string OtherStacks = "(other stacks)";

    /// <summary>
    /// "Monitor.Wait ← SocketAsyncContext.PerformSyncOperation ← HttpClient.Send ← BackendClient.CallSync": the innermost
    /// frame; what it waits for (the first frame past the waiting machinery of System.Threading and the awaiters); the
    /// framework call the application made; and the application's frame that made it. Without application frames, the
    /// innermost three.
    /// </summary>
    public static string Headline(ThreadFrames stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var f = stack.Frames;
        if (f.Count == 0) return NoManagedFrames;
        var user = stack.FirstUserFrame;
        if (user <= 0 || user >= f.Count) return string.Join(" ← ", f.Take(3).Select(ShortName));
        var waitsFor = Enumerable.Range(1, Math.Max(0, user - 2)).FirstOrDefault(i => !IsWaitMachinery(f[i]));
        int[] picks = waitsFor > 0 ? [0, waitsFor, user - 1, user] : [0, user - 1, user];
        return string.Join(" ← ", picks.Distinct().Select(i => ShortName(f[i])));
    }

    private static bool IsWaitMachinery(string frame) =>
        frame.StartsWith("System.Threading.", StringComparison.Ordinal) || frame.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal);

    /// <summary><c>System.Threading.Tasks.Task.Wait</c> → <c>Task.Wait</c>: the type's own name and the method (frames are already <see cref="FrameName.Clean"/>).</summary>
    public static string ShortName(string frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var method = frame.LastIndexOf('.');
        if (method <= 0) return frame;
        var type = frame.LastIndexOf('.', method - 1);
        return frame[(type + 1)..];
    }
}
