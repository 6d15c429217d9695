using SP = ScottPlot;

namespace Lab.Client.Reports;

/// <summary>Axis ranges and ticks, computed from the spec so every chart of a kind is laid out alike.</summary>
public static partial class ChartRenderer
{
    /// <summary>The data area's width in pixels, about (axes and legend take the rest): for fitting phase labels.</summary>
    private const double PlotWidthPx = Width - Left - Right;

    /// <summary>The x range: from t0 to the end of the record (the drain included) for time; p0 to at least p99.9 for percentiles.</summary>
    public static (double Min, double Max) XRange(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var xs = spec.Drawable.Select(p => p.X).ToList();
        if (spec.Categories is not null) return (0, xs.Count == 0 || xs.Max() <= 0 ? 1 : xs.Max() * 1.08);
        if (spec.XAxis == XAxisKind.Linear)
        {
            if (xs.Count == 0) return (0, 1);
            var (lo, hi) = (xs.Min(), xs.Max());
            var pad = Math.Max((hi - lo) * 0.03, 0.5);
            return (lo - pad, hi + pad);
        }

        var max = new[] { spec.EndS ?? 0, spec.Bands.Count == 0 ? 0 : spec.Bands.Max(b => b.EndS), xs.Count == 0 ? 0 : xs.Max() }.Max();
        if (spec.XAxis == XAxisKind.Nines) return (0, Math.Max(3, Math.Ceiling(max - 1e-9)));
        return (0, max > 0 ? max : 1);
    }

    /// <summary>
    /// The y range in plotted units (decades on a log axis): from zero unless the spec says otherwise, with a
    /// little room above the highest point so it never hides in the frame.
    /// </summary>
    public static (double Min, double Max) YRange(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // Categories from the top (0) down, each with room above its bars for its label.
        if (spec.Categories is { } categories) return (-Math.Max(1, categories.Count) + 0.45, 0.75);
        var ys = spec.YRange is { } range
            ? [range.Min, range.Max]
            : spec.Drawable.Select(p => p.Y).Concat(spec.References?.Select(r => r.Y) ?? []).Where(y => double.IsFinite(y) && (!spec.LogY || y > 0)).ToList();
        if (ys.Count == 0) return (0, 1);
        if (spec.LogY)
        {
            var lo = Math.Floor(Math.Log10(ys.Min()) + 1e-9);
            var hi = Math.Ceiling(Math.Log10(ys.Max()) - 1e-9);
            if (hi <= lo) hi = lo + 1;
            return (lo - 0.02 * (hi - lo), hi + 0.04 * (hi - lo));
        }

        var (min, max) = (ys.Min(), ys.Max());
        if (spec.YFromZero && min >= 0) return (0, max > 0 ? max * 1.08 : 1);

        // Only the change matters: the axis spans the data, at least 0.5 % of its size, so noise is not magnified.
        var span = Math.Max(max - min, Math.Max(Math.Abs(max) * 0.005, 1e-6));
        return (min - span * 0.15, max + span * 0.15);
    }

    private static void Axes(SP.Plot plot, ChartSpec spec, double x0, double x1, double y0, double y1)
    {
        var tickFont = 11;
        plot.Axes.Bottom.TickLabelStyle.FontSize = tickFont;
        plot.Axes.Left.TickLabelStyle.FontSize = tickFont;
        if (spec.XAxis == XAxisKind.Nines)
        {
            var nines = new SP.TickGenerators.NumericManual();
            for (var k = 0; k <= (int)Math.Floor(x1); k++) nines.AddMajor(k, NinesLabel(k));
            plot.Axes.Bottom.TickGenerator = nines;
        }
        else
        {
            plot.Axes.Bottom.TickGenerator = new SP.TickGenerators.NumericAutomatic { LabelFormatter = Num };
        }

        if (spec.Categories is not null)
        {
            // The categories' labels are written in the plot, above their bars: no numbers on this axis.
            plot.Axes.Left.TickGenerator = new SP.TickGenerators.NumericManual();
        }
        else if (spec.LogY)
        {
            var decades = new SP.TickGenerators.NumericManual();
            for (var k = (int)Math.Floor(y0); k <= (int)Math.Ceiling(y1); k++)
            {
                if (k >= y0 && k <= y1) decades.AddMajor(k, Num(Math.Pow(10, k)));
                for (var j = 2; j < 10; j++)
                {
                    var minor = k + Math.Log10(j);
                    if (minor >= y0 && minor <= y1) decades.AddMinor(minor);
                }
            }

            plot.Axes.Left.TickGenerator = decades;
        }
        else
        {
            plot.Axes.Left.TickGenerator = new SP.TickGenerators.NumericAutomatic { LabelFormatter = Num };
        }

        PhaseLabels(plot, spec, x0, x1);
    }

    /// <summary>The phases' names (and the drain's) along the top of the plot, where they cannot cover data.</summary>
    private static void PhaseLabels(SP.Plot plot, ChartSpec spec, double x0, double x1)
    {
        var labels = PhaseLabelsOf(spec, x0, x1);
        if (labels.Count == 0) return;
        var ticks = new SP.TickGenerators.NumericManual();
        foreach (var (x, text) in labels) ticks.AddMajor(x, text);
        var top = plot.Axes.Top;
        top.TickGenerator = ticks;
        top.MajorTickStyle.Length = 0;
        top.MinorTickStyle.Length = 0;
        top.TickLabelStyle.FontSize = 10;
        top.TickLabelStyle.ForeColor = Color(Palette.MutedText);
        plot.Axes.SetLimitsX(x0, x1, top);
    }

    /// <summary>Each band's label at its middle, cut to the band's width; the drain's label last.</summary>
    public static IReadOnlyList<(double X, string Text)> PhaseLabelsOf(ChartSpec spec, double x0, double x1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var drainFrom = spec.DrainFromS is { } d && d < x1 ? d : double.PositiveInfinity;
        var bands = spec.Bands.Where(b => b.StartS < drainFrom).Select(b => (Start: Math.Max(x0, b.StartS), End: Math.Min(Math.Min(b.EndS, drainFrom), x1), b.Label)).ToList();
        if (double.IsFinite(drainFrom)) bands.Add((drainFrom, x1, "drain (after the last arrival)"));
        var labels = new List<(double, string)>();
        foreach (var (start, end, label) in bands)
        {
            var chars = (int)((end - start) / (x1 - x0) * PlotWidthPx / 6.2);
            if (chars < 4) continue;
            labels.Add(((start + end) / 2, label.Length <= chars ? label : label[..(chars - 1)] + "…"));
        }

        return labels;
    }
}
