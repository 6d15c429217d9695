namespace Lab.Client.Progress;

/// <summary>
/// One second of one variant run's load, as the progress display shows it. GoodputPerS counts 2xx answers only
/// (client timeouts and errors are not "achieved"); AnsweredPerS counts requests that ended in the second in any way.
/// </summary>
public sealed record ProgressSnapshot(
    string Scenario,
    string Variant,
    int VariantIndex,
    int VariantCount,
    double ElapsedS,
    double TotalS,
    string Phase,
    long OfferedPerS,
    long GoodputPerS,
    long AnsweredPerS,
    long InFlight,
    long Ok,
    long Rejected503,
    long Errors,
    long Timeouts,
    long Dropped,
    double P99Ms,
    int? ServerThreads,
    long? ServerQueue,
    double LagP99Ms);
