using Lab.Client.Analysis;

namespace Lab.Client.Reports;

public enum LineStyle
{
    Solid,
    Dashed,
    Dotted,
    DashDot,
}

/// <summary>One line of a chart; NaN values leave a gap.</summary>
public sealed record Series(string Label, IReadOnlyList<(double X, double Y)> Points, string Color, LineStyle Style = LineStyle.Solid);

/// <summary>A horizontal reference line, e.g. the configured minimum of pool threads.</summary>
public sealed record ReferenceLine(double Y, string Label, string Color);

/// <summary>Everything one chart shows. Axis labels carry their units.</summary>
public sealed record ChartSpec(
    string Id,
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<Series> Series,
    IReadOnlyList<PhaseBand> Bands,
    bool LogY = false,
    IReadOnlyList<ReferenceLine>? References = null,
    string? Caption = null,
    XAxisKind XAxis = XAxisKind.Seconds);

public enum XAxisKind
{
    /// <summary>Time since the load's t0, in seconds.</summary>
    Seconds,

    /// <summary>Percentile on a "nines" scale: 0 = p0, 1 = p90, 2 = p99, 3 = p99.9.</summary>
    Nines,
}
