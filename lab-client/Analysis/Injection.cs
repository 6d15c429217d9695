namespace Lab.Client.Analysis;

/// <summary>
/// One injection: at <see cref="TimeS"/> (seconds after the variant run's t0) the pool added <see cref="Added"/> worker
/// threads (its goal then <see cref="Goal"/>), for <see cref="Reason"/> (a name of <c>PoolEventKinds.Reasons</c>).
/// </summary>
public sealed record Injection(double TimeS, string Reason, int Added, int Goal);
