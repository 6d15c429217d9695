namespace Lab.Client.Analysis;

/// <summary>
/// The summary metrics of one variant, keyed <c>group.stat</c> exactly as checks name them
/// (see <see cref="Checks.MetricCatalog"/>), plus the facts a report shows next to them.
/// </summary>
public sealed record VariantSummary(
    string Name,
    string Status,
    IReadOnlyDictionary<string, double> Metrics,
    bool ClientLimited,
    IReadOnlyList<string> ClientLimitedWhy,
    int? ConfiguredMinThreads,
    string Endpoints)
{
    public double this[string metric] => Metrics.TryGetValue(metric, out var v) ? v : double.NaN;
}
