using Lab.Client.Analysis;

namespace Lab.Client.Reports;

public enum LineStyle
{
    Solid,
    Dashed,
    Dotted,
    DashDot,
}

/// <summary>
/// How a series is drawn: a line through its points, each point on its own (one marker per request), or a bar per
/// point (threads the pool added in an interval; threads at one place in a stack snapshot).
/// </summary>
public enum SeriesKind
{
    Line,
    Points,

    /// <summary>
    /// A bar per finite point from <see cref="Series.Bases"/> (zero when null) up to the point's Y, centred on its X
    /// and <see cref="Series.BarWidth"/> wide; on a chart with <see cref="ChartSpec.Categories"/>, horizontal: from
    /// the base to X, at the category Y.
    /// </summary>
    Bars,
}

/// <summary>Marker shapes, one meaning each: a circle is a measured value, a cross a client timeout, a triangle a 503, a square an error.</summary>
public enum MarkerKind
{
    Circle,
    Cross,
    Triangle,
    Square,
}

/// <summary>
/// One series of a chart; NaN values leave a gap. A line still shows every finite point: a point with no
/// finite neighbour (isolated by gaps) gets a marker, and a sparse series gets one on every point
/// (<see cref="MarkedPoints"/>), so the first slow answers of a stall, or a foreign endpoint's few answers,
/// cannot vanish into a path of moves.
/// </summary>
public sealed record Series(string Label, IReadOnlyList<(double X, double Y)> Points, string Color, LineStyle Style = LineStyle.Solid)
{
    /// <summary>A line with at most this many finite points is sparse: every point gets a marker.</summary>
    public const int SparseAtMost = 12;

    public SeriesKind Kind { get; init; } = SeriesKind.Line;

    public MarkerKind Marker { get; init; } = MarkerKind.Circle;

    /// <summary>Line width in pixels: variants drawn later are thinner, so a line identical to an earlier one runs inside it instead of hiding it.</summary>
    public double Width { get; init; } = 2;

    /// <summary>A marker on every point, dense or not: for events that must stand out wherever they appear (client timeouts).</summary>
    public bool MarkAll { get; init; }

    /// <summary>Marker size in pixels.</summary>
    public double MarkerSize { get; init; } = 6;

    /// <summary><see cref="SeriesKind.Bars"/>: each bar's width, in the position axis' units.</summary>
    public double BarWidth { get; init; } = 0.8;

    /// <summary><see cref="SeriesKind.Bars"/>: where each bar starts (stacked bars start on the one below); null: at zero.</summary>
    public IReadOnlyList<double>? Bases { get; init; }

    /// <summary><see cref="SeriesKind.Bars"/>: the bars' outline colour (whose bars they are, when the fill says why); null: none.</summary>
    public string? Outline { get; init; }

    public IEnumerable<(double X, double Y)> Finite => Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y));

    /// <summary>A run of at most this many finite points between gaps is a fragment: drawn as a line it is a dash or less, so its points get markers.</summary>
    public const int FragmentAtMost = 2;

    /// <summary>
    /// The points that get a marker: all of them for <see cref="SeriesKind.Points"/>, <see cref="MarkAll"/> or a
    /// sparse line (a few points, or mostly fragments: a line would be a few stray dashes), else those in
    /// fragments (a point alone between gaps, or two).
    /// </summary>
    public IReadOnlyList<(double X, double Y)> MarkedPoints()
    {
        static bool Ok((double X, double Y) p) => double.IsFinite(p.X) && double.IsFinite(p.Y);
        var finite = Finite.ToList();
        if (Kind == SeriesKind.Points || MarkAll || finite.Count <= SparseAtMost) return finite;
        var fragments = new List<(double, double)>();
        for (var i = 0; i < Points.Count;)
        {
            if (!Ok(Points[i]))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < Points.Count && Ok(Points[end])) end++;
            if (end - i <= FragmentAtMost) fragments.AddRange(Points.Skip(i).Take(end - i));
            i = end;
        }

        return fragments.Count * 2 >= finite.Count ? finite : fragments;
    }
}

/// <summary>An entry of a legend given apart from the series: a colour with a line style, or a marker.</summary>
public sealed record LegendEntry(string Label, string Color, LineStyle Style = LineStyle.Solid, MarkerKind? Marker = null, double Width = 2.5);

/// <summary>A horizontal reference line, e.g. the configured minimum of pool threads, or the client's timeout.</summary>
public sealed record ReferenceLine(double Y, string Label, string Color);

/// <summary>
/// Everything one chart shows, independent of the library that draws it (<see cref="ChartRenderer"/>). Axis
/// labels carry their units. <see cref="DrainFromS"/>: from the last arrival on, the time axis is shaded as the
/// drain, so what happens after the load (a queue still emptying) does not read as the burst itself.
/// </summary>
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
    XAxisKind XAxis = XAxisKind.Seconds)
{
    /// <summary>The last arrival (s since t0): after it, the drain is shaded to the end of the data.</summary>
    public double? DrainFromS { get; init; }

    /// <summary>Where the time axis ends (s): the end of the last interval, so the drain is drawn to the end of the record.</summary>
    public double? EndS { get; init; }

    /// <summary>False where only the change matters (virtual memory: hundreds of GB reserved, a few GB moving): the axis spans the data, and the caption says so.</summary>
    public bool YFromZero { get; init; } = true;

    /// <summary>Fixed Y limits (in data units), e.g. one latency range for every variant's request chart so they compare at a glance.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>
    /// A legend in place of one entry per series: with many variants and several metrics each, the colours name
    /// the variants and the line styles the metrics (7 entries instead of 12). Null: one entry per series.
    /// </summary>
    public IReadOnlyList<LegendEntry>? Legend { get; init; }

    /// <summary>
    /// A horizontal bar chart of places rather than a time series: category <c>i</c> (its label written above its bars)
    /// at Y = −i, the first on top; the series' X are the values. Null for every chart over time.
    /// </summary>
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>Every series' points that are finite (and positive on a log axis): what the chart can show.</summary>
    public IEnumerable<(double X, double Y)> Drawable =>
        Series.SelectMany(s => s.Finite).Where(p => !LogY || p.Y > 0);
}

public enum XAxisKind
{
    /// <summary>Time since the load's t0, in seconds.</summary>
    Seconds,

    /// <summary>Percentile on a "nines" scale: 0 = p0, 1 = p90, 2 = p99, 3 = p99.9.</summary>
    Nines,

    /// <summary>A plain number (OS threads, for memory per thread; threads at a place of a stack snapshot).</summary>
    Linear,
}
