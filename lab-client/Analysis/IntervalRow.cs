namespace Lab.Client.Analysis;

/// <summary>
/// One interval (default 1 s) of one variant: the client's view (arrivals by intended time, answers by
/// end time, latency of the requests that ended in it) merged with the server's samples in it. Server
/// values are the interval's maximum (CPU: cores used over the interval); null when no sample fell in it.
/// </summary>
public sealed record IntervalRow(
    string Variant, double StartS,
    long Offered, long Sent, long Completed, long Ok, long Rejected503, long Errors, long Timeouts, long Dropped, long Aborted,
    double LatencyP50Ms, double LatencyP90Ms, double LatencyP99Ms, double LatencyP999Ms, double LatencyMaxMs,
    double ServiceP50Ms, double ServiceP99Ms, double LagP99Ms, double LagMaxMs,
    double? PoolThreads, double? OsThreads, double? PoolQueue, double? ActiveRequests, double? LimiterQueue, double? OpenConnections,
    double? RssMb, double? PrivateMb, double? VirtualMb, double? GcHeapMb, double? CpuCores);
