namespace Lab.Client.Analysis;

/// <summary>
/// One injection: at <see cref="TimeS"/> (seconds after the variant run's t0) the pool raised its goal of worker threads
/// by <see cref="Added"/> to <see cref="Goal"/>, for <see cref="Reason"/> (a name of <c>PoolEventKinds.Reasons</c>).
/// </summary>
public sealed record Injection(double TimeS, string Reason, int Added, int Goal);
