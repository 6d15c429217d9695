namespace Lab.Server.Telemetry.Metrics;

/// <summary>One metric a user sees on <c>/metrics</c>, with what a stock OpenTelemetry setup would show instead.</summary>
/// <param name="Name">The Prometheus name on the lab's <c>/metrics</c>.</param>
/// <param name="Type"><c>gauge</c>, <c>counter</c> or <c>histogram</c>.</param>
/// <param name="Instrument">The OpenTelemetry instrument it comes from.</param>
/// <param name="Meter">The instrument's meter.</param>
/// <param name="StockName">
/// The name a stock setup (the same meters, no Views) gives it; null when that is <paramref name="Name"/> (no
/// <paramref name="Why"/>) or when a stock setup has no such metric (the lab's own meter).
/// </param>
/// <param name="StockType">The type a stock setup gives it; null when that is <paramref name="Type"/>.</param>
/// <param name="Why">Why the lab differs from the stock setup; null when it does not.</param>
/// <param name="InASyncBurst">What it does while a sync burst starves the pool.</param>
public sealed record MetricName(
    string Name,
    string Type,
    string Instrument,
    string Meter,
    string? StockName,
    string? StockType,
    string? Why,
    string InASyncBurst)
{
    /// <summary>A runtime instrument a stock setup shows under another name or type.</summary>
    public bool StockDiffers => Why is not null && StockName is not null;
}
