namespace Lab.Client.Analysis;

/// <summary>
/// A variant over its repetitions: each run's analysis, and every metric as a <see cref="Spread"/>. Metrics are
/// taken from complete runs; when none completed, from all of them (the report says the run is incomplete).
/// </summary>
public sealed record VariantAggregate(string Name, int Index, IReadOnlyList<RunAnalysis> Runs)
{
    public IReadOnlyList<RunAnalysis> Counted => Runs.Any(r => r.Summary.Complete) ? [.. Runs.Where(r => r.Summary.Complete)] : Runs;

    public Spread this[string metric] => new([.. Counted.Select(r => r.Summary[metric])]);

    /// <summary>The value checks and texts use: the median over the counted repetitions.</summary>
    public double Median(string metric) => this[metric].Median;

    public VariantSummary First => Runs[0].Summary;

    public bool AllComplete => Runs.All(r => r.Summary.Complete);

    public bool AnyClientLimited => Runs.Any(r => r.Summary.ClientLimited);

    public IReadOnlyList<string> ClientLimitedWhy => [.. Runs.Where(r => r.Summary.ClientLimited)
        .SelectMany(r => r.Summary.ClientLimitedWhy.Select(w => Runs.Count > 1 ? $"repetition {r.Summary.Repetition}: {w}" : w))];

    public bool HasTelemetry => Runs.Any(r => r.Summary.HasTelemetry);

    /// <summary>Where its server-side figures came from (the first repetition that has any; every repetition runs the same way).</summary>
    public TelemetrySource TelemetrySource => Runs.Select(r => r.Data.TelemetrySource).FirstOrDefault(s => s != TelemetrySource.None);
}
