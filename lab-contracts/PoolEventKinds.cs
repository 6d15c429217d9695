namespace Lab.Contracts;

/// <summary>
/// The kinds of <see cref="PoolEvent"/> and the runtime's reasons for an adjustment, written once for the server that
/// records them, the client that reads them and the metric names checks use (<c>injections.cooperativeBlocking</c>).
/// </summary>
public static class PoolEventKinds
{
    /// <summary>Version of the events file format; the first line (<see cref="Start"/>) carries it.</summary>
    public const int FormatVersion = 1;

    /// <summary>First line: format, process's pool minimum and maximum when recording began.</summary>
    public const string Start = "start";

    /// <summary>ThreadPoolWorkerThreadAdjustment/Adjustment (event 55): the pool changed its goal of worker threads, with the reason.</summary>
    public const string Adjustment = "adjustment";

    /// <summary>ThreadPoolWorkerThreadStart (event 50): a new worker thread.</summary>
    public const string WorkerStart = "workerStart";

    /// <summary>ThreadPoolWorkerThreadStop (event 51): a worker thread exited (idle past the thread timeout).</summary>
    public const string WorkerStop = "workerStop";

    /// <summary>WaitHandleWaitStart (event 301, .NET 9+): a pool worker blocked in a wait.</summary>
    public const string WaitStart = "waitStart";

    /// <summary>WaitHandleWaitStop (event 302): that worker's wait ended.</summary>
    public const string WaitStop = "waitStop";

    /// <summary>ThreadPoolMinMaxThreads (event 59): the minimum or maximum changed.</summary>
    public const string MinMax = "minMax";

    /// <summary>Events the recorder had to drop (its queue was full); <see cref="PoolEvent.Count"/> says how many.</summary>
    public const string Lost = "lost";

    /// <summary>Last line: how recording ended (dropped in total, the dispatch thread).</summary>
    public const string Stop = "stop";

    /// <summary>
    /// The runtime's reasons for an adjustment, in the order of its enum (<c>ThreadAdjustmentReasonMap</c> in
    /// NativeRuntimeEventSource, <c>HillClimbing.StateOrTransition</c> in PortableThreadPool; checked against the
    /// installed .NET 10 CoreLib by reflection), named camelCase as metrics name them.
    /// </summary>
    public static readonly IReadOnlyList<string> Reasons =
    [
        "warmup",              // hill climbing, before it has enough samples to climb
        "initializing",        // hill climbing noticed the count changed without it
        "randomMove",
        "climbingMove",        // hill climbing: more threads gave more throughput
        "changePoint",
        "stabilizing",
        "starvation",          // gate thread: no dequeue for 500 ms (CPU < 80 %), one more thread
        "threadTimedOut",      // an idle worker retired
        "cooperativeBlocking", // a pool thread blocked in Task.Wait/GetResult: compensate (.NET 6+)
    ];

    /// <summary>The reason's name for the runtime's number; numbers from a newer runtime are kept as <c>reason9</c>, …</summary>
    public static string Reason(long value) =>
        value >= 0 && value < Reasons.Count ? Reasons[(int)value] : $"reason{value}";
}
