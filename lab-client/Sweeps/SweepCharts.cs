namespace Lab.Client.Sweeps;

/// <summary>A chart file of a sweep, relative to its folder.</summary>
public sealed record SweepChart(string File, string Title);

/// <summary>The sweep's charts: each key metric against the swept values.</summary>
public static class SweepCharts
{
    public static IReadOnlyList<SweepChart> Write(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [];
    }
}
