namespace Lab.Client.Analysis;

/// <summary>
/// One interval of one variant run: the client's view (arrivals by intended time, answers by end time, latency
/// of the requests answered in it, requests outstanding at its end) merged with the server's samples in it.
/// Counts are per interval (<see cref="WidthS"/> seconds; divide by it for a rate). Server values are the
/// interval's maximum (CPU: cores used over the interval); null when no sample fell in it, or the target
/// gives no telemetry.
/// </summary>
public sealed record IntervalRow(
    string Variant, int Repetition, double StartS, double WidthS,
    long Offered, long Sent, long Answered, long Ok, long Rejected503, long Errors, long Timeouts, long Dropped, long Aborted, long Outstanding,
    double LatencyP50Ms, double LatencyP90Ms, double LatencyP99Ms, double LatencyP999Ms, double LatencyMaxMs,
    double ServiceP50Ms, double ServiceP99Ms, double LagP99Ms, double LagMaxMs,
    double? PoolThreads, double? OsThreads, double? PoolQueue, double? ActiveRequests, double? LimiterQueue, double? OpenConnections,
    double? RssMb, double? PrivateMb, double? VirtualMb, double? GcHeapMb, double? CpuCores)
{
    public double MidS => StartS + WidthS / 2;

    /// <summary>Threads the pool added in this interval, by the runtime's reason (<c>cooperativeBlocking</c>, <c>starvation</c>…); empty when none were, or no events were recorded.</summary>
    public IReadOnlyDictionary<string, int> Injections { get; init; } = new Dictionary<string, int>();

    /// <summary>Most pool workers blocked in a wait (Task.Wait, GetResult…) at once in this interval; null without events.</summary>
    public double? BlockedWorkers { get; init; }

    /// <summary>A count of this interval as a rate per second.</summary>
    public double PerS(long count) => count / WidthS;
}
