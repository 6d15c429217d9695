using System.Diagnostics;

namespace Lab.Server.Server.Probes;

/// <summary>
/// C16's starvation, made on purpose and undone for sure: queues work items that block on one gate, one at a time
/// and always one still waiting in the queue, until every worker the pool may have (<c>GetMaxThreads</c>) runs one
/// and work is still queued — the pool is then starved by any definition. Never more blockers than that maximum
/// plus the one waiting; each blocker also gives up on its own after <c>maxBlockMs</c>, so even a probe that died
/// cannot leave the pool blocked. <see cref="Release"/> (or <see cref="Dispose"/>) opens the gate.
/// </summary>
public sealed class PoolOccupier(int maxBlockMs) : IDisposable
{
    private const int PollMs = 2;

    // Never disposed: blockers still queued when the gate opens check it afterwards, and a disposed event throws.
    private readonly ManualResetEventSlim _gate = new(false);
    private int _queued;
    private int _entered;
    private int _holding;

    /// <summary>The pool's maximum worker count when <see cref="Occupy"/> ran (the <c>MaxWorkerThreads</c> knob).</summary>
    public int MaxWorkers { get; private set; }

    /// <summary>Blockers running now, each holding one pool worker.</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>Blockers queued and not yet picked up by a worker.</summary>
    public int Waiting => Volatile.Read(ref _queued) - Volatile.Read(ref _entered);

    /// <summary>Every worker the pool may have is held and a blocker still waits for one.</summary>
    public bool IsStarved => Holding >= MaxWorkers && Waiting >= 1;

    /// <summary>
    /// Occupies the pool until it is starved (true) or <paramref name="withinMs"/> passed (false: the pool kept
    /// finding threads, e.g. a default maximum of 32,767 that it grows toward a thread or two a second). Call it from
    /// a dedicated thread: a pool thread calling it would be one of the workers it waits for.
    /// </summary>
    public bool Occupy(int withinMs)
    {
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        MaxWorkers = maxWorkers;
        var started = Stopwatch.GetTimestamp();
        while (!IsStarved)
        {
            if (Stopwatch.GetElapsedTime(started).TotalMilliseconds >= withinMs)
            {
                return false;
            }

            if (Waiting < 1 && Volatile.Read(ref _queued) < maxWorkers + 1)
            {
                Interlocked.Increment(ref _queued);
                ThreadPool.UnsafeQueueUserWorkItem(static s => ((PoolOccupier)s!).Block(), this);
                continue;
            }

            Thread.Sleep(PollMs);
        }

        return true;
    }

    public void Release() => _gate.Set();

    public void Dispose() => Release();

    /// <summary>Deliberately blocks a pool worker: holding every one of them is the experiment.</summary>
    private void Block()
    {
        Interlocked.Increment(ref _entered);
        Interlocked.Increment(ref _holding);
        try
        {
            _gate.Wait(maxBlockMs);
        }
        finally
        {
            Interlocked.Decrement(ref _holding);
        }
    }
}
