namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// When to take a stack snapshot, from the pool queue lengths a reader sees: at the top of a stall — the queue is at
/// least <see cref="MinQueue"/>, within 80 % of its highest value so far, and has stopped growing — and only when it is
/// a clear new maximum (1.5 × the last snapshot's queue), at most <see cref="MaxSnapshots"/> times. Each snapshot
/// suspends the process, so a handful is the budget; the one at the largest queue is kept.
/// </summary>
public sealed class SnapshotTrigger(int maxSnapshots, long minQueue = SnapshotTrigger.DefaultMinQueue)
{
    /// <summary>Below this the pool is not stalled enough to be worth suspending the process for.</summary>
    public const long DefaultMinQueue = 8;

    /// <summary>A later snapshot needs this many times the queue of the last one.</summary>
    public const double Margin = 1.5;

    private long _runningMax;
    private long _last = -1;
    private long? _snapshotQueue;

    public int MaxSnapshots => maxSnapshots;
    public long MinQueue => minQueue;
    public int Taken { get; private set; }

    /// <summary>Feeds the next queue length; true when a snapshot should be taken now.</summary>
    public bool Observe(long queue)
    {
        _runningMax = Math.Max(_runningMax, queue);
        var notGrowing = _last >= 0 && queue <= _last;
        _last = queue;
        var fire = Taken < maxSnapshots
            && queue >= minQueue
            && notGrowing
            && queue >= 0.8 * _runningMax
            && (_snapshotQueue is not { } prev || queue >= Margin * prev);
        if (!fire) return false;
        Taken++;
        _snapshotQueue = queue;
        return true;
    }
}
