namespace Lab.Client.Analysis;

/// <summary>
/// The summary metrics of one variant run, keyed <c>group.stat</c> (or <c>window.group.stat</c>) exactly as
/// checks name them (see <see cref="Checks.MetricCatalog"/>), plus the facts a report shows next to them.
/// </summary>
public sealed record VariantSummary(
    string Name,
    int Repetition,
    string Status,
    IReadOnlyDictionary<string, double> Metrics,
    bool ClientLimited,
    IReadOnlyList<string> ClientLimitedWhy,
    int? ConfiguredMinThreads,
    string Endpoints,
    bool HasTelemetry,
    double TimeoutS)
{
    public double this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : double.NaN;

    public bool Complete => Status == "complete";
}
