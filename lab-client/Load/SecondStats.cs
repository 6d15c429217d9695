namespace Lab.Client.Load;

/// <summary>
/// What happened in one second of a variant run, from the records: arrivals by intended time, sends by send time,
/// outcomes and latency by end time. (Dispatch lag per second comes from the engine, <see cref="DispatchSeconds"/>.)
/// </summary>
public sealed record SecondStats
{
    public long Scheduled { get; init; }
    public long Sent { get; init; }
    public long Dropped { get; init; }
    public long Completed { get; init; }
    public long Ok { get; init; }
    public long Rejected503 { get; init; }
    public long Errors { get; init; }
    public long Timeouts { get; init; }

    /// <summary>Of the requests answered in this second (timeouts have no latency).</summary>
    public double LatencyP99Ms { get; init; } = double.NaN;
}
