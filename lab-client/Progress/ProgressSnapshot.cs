namespace Lab.Client.Progress;

/// <summary>The last second of one variant's load, as the progress display shows it.</summary>
public sealed record ProgressSnapshot(
    string Scenario,
    string Variant,
    int VariantIndex,
    int VariantCount,
    double ElapsedS,
    double TotalS,
    string Phase,
    long OfferedPerS,
    long AchievedPerS,
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
