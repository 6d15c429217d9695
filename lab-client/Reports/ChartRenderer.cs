using System.Globalization;
using SP = ScottPlot;

namespace Lab.Client.Reports;

/// <summary>
/// Draws a <see cref="ChartSpec"/> with ScottPlot, the one place charts are drawn: the load phases as bands
/// behind the data (labelled along the top), the drain after the last arrival striped, every finite point
/// visible (markers where a line cannot show it), reference lines dotted, the legend beside the plot and the
/// caption under it. Fixed size and font, colours from <see cref="Palette"/>, limits computed here (not by
/// autoscaling), so a chart is a function of its spec: as SVG (inline in report.html, isolated by
/// <see cref="Svg"/>) and as PNG (beside it in the run folder).
/// </summary>
public static partial class ChartRenderer
{
    public const int Width = 960;
    public const int Height = 400;

    /// <summary>The data area's margins in pixels: room for tick labels and the axis label on the left, the legend on the right.</summary>
    private const int Left = 78, Right = 258;

    /// <summary>Characters of a legend entry per line: what fits beside the plot at 11 px.</summary>
    private const int LegendChars = 30;

    /// <summary>Characters of caption per line: the data area's width at 11 px.</summary>
    private const int CaptionChars = 105;

    /// <summary>
    /// Named, not left to the platform's default, so charts look the same on every machine: DejaVu Sans, from
    /// Debian's fonts-dejavu-core (registered from its file when present, so the lookup cannot pick a cousin).
    /// </summary>
    public const string FontName = "DejaVu Sans";

    private static readonly (string Path, bool Bold)[] s_fontFiles =
    [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", false),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", true),
    ];

    /// <summary>Registers the font files once per process; a missing one is said once on stderr (the charts still draw).</summary>
    private static readonly Lazy<bool> s_fonts = new(() =>
    {
        foreach (var (path, bold) in s_fontFiles.Where(f => File.Exists(f.Path))) SP.Fonts.AddFontFile(FontName, path, bold, italic: false);
        if (FontFallbackNotice(File.Exists) is { } notice) Console.Error.WriteLine(notice);
        return true;
    });

    /// <summary>
    /// What to say when a font file is missing (<paramref name="exists"/> says which are there): charts are then drawn
    /// with whatever font SkiaSharp falls back to, which differs between machines. Null when every file is there.
    /// </summary>
    public static string? FontFallbackNotice(Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        var missing = s_fontFiles.Select(f => f.Path).Where(p => !exists(p)).ToList();
        return missing.Count == 0 ? null
            : $"charts: {FontName} not found ({string.Join(", ", missing)}): charts are drawn with a fallback font and may look different on another machine. " +
              $"Install Debian's {FontPackage} (./run-lab.sh test installs it).";
    }

    /// <summary>The Debian package with <see cref="FontName"/>'s files (a test prerequisite, so CI draws with it).</summary>
    public const string FontPackage = "fonts-dejavu-core";

    /// <summary>The regular face's file, which shows <see cref="FontPackage"/> is installed.</summary>
    public static string FontFile => s_fontFiles[0].Path;

    /// <summary>ScottPlot's font registry is process-wide: one chart at a time.</summary>
    private static readonly Lock s_render = new();

    /// <summary>The chart as a ScottPlot model: what tests inspect (plottables, legend, axis limits) and what <see cref="Svg"/> and <see cref="Png"/> render.</summary>
    public static SP.Plot Build(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _ = s_fonts.Value;
        var plot = new SP.Plot();
        plot.Font.Set(FontName);
        var (x0, x1) = XRange(spec);
        var (y0, y1) = YRange(spec);

        if (spec.Categories is null) DrawBands(plot, spec, x0, x1);
        foreach (var r in spec.References ?? [])
        {
            var line = plot.Add.HorizontalLine(Y(spec, r.Y), 1.5f, Color(r.Color), SP.LinePattern.Dotted);
            line.LegendText = LegendLabel(r.Label);
        }

        foreach (var s in spec.Series) DrawSeries(plot, spec, s);
        if (spec.Categories is { } categories) CategoryLabels(plot, categories, x0 + (x1 - x0) * 0.004);

        if (!spec.Drawable.Any())
        {
            var none = plot.Add.Text("no data", (x0 + x1) / 2, (y0 + y1) / 2);
            none.Alignment = SP.Alignment.MiddleCenter;
            none.LabelFontSize = 14;
            none.LabelFontColor = Color("#999999");
        }

        plot.Axes.SetLimits(x0, x1, y0, y1);
        Axes(plot, spec, x0, x1, y0, y1);

        // A fixed data area: every chart of a report lines up with the next, whatever its legend's width.
        var captionLines = string.IsNullOrEmpty(spec.Caption) ? 0 : Wrap(spec.Caption, CaptionChars).Split('\n').Length;
        plot.Layout.Fixed(new SP.PixelPadding(Left, Right, 58 + 15 * captionLines, 62));
        plot.Title(spec.Title, 15);
        plot.Axes.Title.Label.ForeColor = Color(Palette.Text);
        plot.XLabel(spec.XLabel, 12);
        plot.YLabel(spec.YLabel, 12);
        if (!string.IsNullOrEmpty(spec.Caption)) Caption(plot, spec.Caption);
        if (spec.Legend is { Count: > 0 } || plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText))))
        {
            var legend = plot.ShowLegend(SP.Edge.Right);
            if (spec.Legend is { Count: > 0 } entries)
            {
                legend.Legend.DisplayPlottableLegendItems = false;
                legend.Legend.ManualItems.AddRange(entries.Select(Item));
            }

            // Eight entries or more do not fit one column at 11 px in the chart's fixed height, and a second column is
            // cut off at the image's edge (seen on a C10 threads chart): smaller type keeps every entry in one column.
            var entriesShown = spec.Legend is { Count: > 0 } manual ? manual.Count : plot.GetPlottables().Sum(p => p.LegendItems.Count(i => !string.IsNullOrEmpty(i.LabelText)));
            legend.Legend.FontSize = entriesShown >= 8 ? 9 : 11;
            legend.Legend.FontName = FontName;
            legend.Legend.ShadowOffset = new SP.PixelOffset(0, 0);
        }

        return plot;
    }

    /// <summary>A plot with the lab's font registered and set, for charts that are not time series (a sweep's).</summary>
    public static SP.Plot NewPlot()
    {
        _ = s_fonts.Value;
        var plot = new SP.Plot();
        plot.Font.Set(FontName);
        return plot;
    }

    /// <summary>Renders a plot built with <see cref="NewPlot"/> the way every chart is stored: isolated SVG and PNG.</summary>
    public static (string Svg, byte[] Png) Render(SP.Plot plot, string id, string title, int width = Width, int height = Height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        lock (s_render) return (Isolate(PatternedSvg(plot, width, height), id, title), plot.GetImageBytes(width, height, SP.ImageFormat.Png));
    }

    public static byte[] Png(ChartSpec spec)
    {
        lock (s_render) return Build(spec).GetImageBytes(Width, Height, SP.ImageFormat.Png);
    }

    /// <summary>
    /// The SVG as ScottPlot writes it, line patterns apart (<see cref="PatternedSvg"/>); <see cref="Svg"/> is what the lab
    /// stores and inlines.
    /// </summary>
    public static string RawSvg(ChartSpec spec)
    {
        lock (s_render) return PatternedSvg(Build(spec), Width, Height);
    }

    private static void DrawBands(SP.Plot plot, ChartSpec spec, double x0, double x1)
    {
        var drainFrom = spec.DrainFromS is { } d && d < x1 ? d : double.PositiveInfinity;
        var sending = 0;
        foreach (var b in spec.Bands.Where(b => b.StartS < drainFrom))
        {
            var fill = b.IsPause ? Palette.Pause : sending++ % 2 == 0 ? Palette.Phase : Palette.PhaseAlternate;
            var span = plot.Add.HorizontalSpan(Math.Max(x0, b.StartS), Math.Min(b.EndS, Math.Min(drainFrom, x1)), Color(fill));
            span.LineWidth = 0;
        }

        if (double.IsFinite(drainFrom))
        {
            // A flat fill, not a hatch: ScottPlot's SVG output drops hatches, and the SVG and the PNG must agree.
            var drain = plot.Add.HorizontalSpan(drainFrom, x1, Color(Palette.Drain));
            drain.LineWidth = 0;
            var last = plot.Add.VerticalLine(drainFrom, 1.5f, Color(Palette.LastArrival), new SP.LinePattern([6, 3], 0, "last arrival"));
            last.LegendText = "";
        }
    }

    private static void DrawSeries(SP.Plot plot, ChartSpec spec, Series s)
    {
        var color = Color(s.Color);
        if (s.Kind == SeriesKind.Bars)
        {
            DrawBars(plot, spec, s);
            return;
        }

        if (s.Kind == SeriesKind.Points)
        {
            var points = s.MarkedPoints().Select(p => (p.X, Y: Y(spec, p.Y))).Where(p => double.IsFinite(p.Y)).ToList();
            if (points.Count == 0) return;
            var markers = plot.Add.Markers(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), Shape(s.Marker), (float)s.MarkerSize, color);
            markers.MarkerLineWidth = s.Marker == MarkerKind.Cross ? 2 : 1;
            markers.LegendText = LegendLabel(s.Label);
            return;
        }

        if (!s.Finite.Any(p => double.IsFinite(Y(spec, p.Y)))) return;
        var xs = s.Points.Select(p => p.X).ToArray();
        var ys = s.Points.Select(p => double.IsFinite(p.X) ? Y(spec, p.Y) : double.NaN).ToArray();
        var line = plot.Add.Scatter(xs, ys, color);
        line.LineWidth = (float)s.Width;
        line.LinePattern = Pattern(s.Style);
        line.LegendText = LegendLabel(s.Label);
        var marked = s.MarkedPoints().Select(p => (p.X, Y: Y(spec, p.Y))).Where(p => double.IsFinite(p.Y)).ToList();
        var all = marked.Count == s.Finite.Count(p => double.IsFinite(Y(spec, p.Y)));

        // Markers grow with the line: a wider (earlier) line's marker rings a thinner one's at the same point.
        var size = (float)Math.Max(s.MarkerSize, s.Width * 2.2);
        line.MarkerSize = all ? size : 0;
        line.MarkerShape = Shape(s.Marker);
        if (!all && marked.Count > 0)
        {
            // Isolated points of a dense line: markers of their own, not in the legend (the line's entry stands for them).
            var dots = plot.Add.Markers(marked.Select(p => p.X).ToArray(), marked.Select(p => p.Y).ToArray(), Shape(s.Marker), size, color);
            dots.LegendText = "";
        }
    }

    /// <summary>Vertical bars at X from the base to Y, or, on a chart of <see cref="ChartSpec.Categories"/>, horizontal ones at Y from the base to X.</summary>
    private static void DrawBars(SP.Plot plot, ChartSpec spec, Series s)
    {
        var horizontal = spec.Categories is not null;
        var bars = new List<SP.Bar>();
        for (var i = 0; i < s.Points.Count; i++)
        {
            var (x, y) = s.Points[i];
            var b = s.Bases is { } bases && i < bases.Count ? bases[i] : 0;
            if (!double.IsFinite(x) || !double.IsFinite(y) || !double.IsFinite(b)) continue;
            var (position, value) = horizontal ? (y, x) : (x, y);
            if (value == b) continue;
            bars.Add(new SP.Bar
            {
                Position = position,
                Value = horizontal ? value : Y(spec, value),
                ValueBase = horizontal ? b : Y(spec, b),
                Size = s.BarWidth,
                FillColor = Color(s.Color),
                LineColor = s.Outline is { } outline ? Color(outline) : Color(s.Color),
                LineWidth = s.Outline is null ? 0 : 1.2f,
            });
        }

        if (bars.Count == 0) return;
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = horizontal;
        plottable.LegendText = LegendLabel(s.Label);
    }

    /// <summary>Each category's label above its bars, at the left of the data area (a headline is too long for a tick label).</summary>
    private static void CategoryLabels(SP.Plot plot, IReadOnlyList<string> categories, double x0)
    {
        for (var i = 0; i < categories.Count; i++)
        {
            var text = plot.Add.Text(categories[i], x0, -i + 0.5);
            text.Alignment = SP.Alignment.UpperLeft;
            text.LabelFontSize = 10.5f;
            text.LabelFontName = FontName;
            text.LabelFontColor = Color(Palette.Text);
        }
    }

    private static SP.LegendItem Item(LegendEntry e)
    {
        var color = Color(e.Color);
        return e.Marker is { } marker
            ? new SP.LegendItem { LabelText = LegendLabel(e.Label), MarkerShape = Shape(marker), MarkerColor = color, MarkerFillColor = color, MarkerLineColor = color, MarkerSize = 7, MarkerLineWidth = 2, LineWidth = 0 }
            : new SP.LegendItem { LabelText = LegendLabel(e.Label), LineColor = color, LineWidth = (float)e.Width, LinePattern = Pattern(e.Style), MarkerShape = SP.MarkerShape.None };
    }

    private static void Caption(SP.Plot plot, string caption)
    {
        // An extra, empty bottom axis whose label is the caption: under the x label, in the PNG too.
        // Centred under the data area, so wrapped to its width; sized for its lines (ScottPlot measures one).
        var axis = plot.Axes.AddBottomAxis();
        var text = Wrap(caption, CaptionChars);
        axis.LabelText = text;
        axis.MinimumSize = 8 + 15 * text.Split('\n').Length;
        axis.LabelFontSize = 11;
        axis.LabelBold = false;
        axis.LabelFontColor = Color(Palette.MutedText);
        axis.LabelFontName = FontName;
        axis.TickLabelStyle.IsVisible = false;
        axis.MajorTickStyle.Length = 0;
        axis.MinorTickStyle.Length = 0;
        axis.FrameLineStyle.Width = 0;
        axis.TickGenerator = new SP.TickGenerators.NumericManual();
    }

    /// <summary>A legend entry, wrapped to the legend's width (a long variant name makes two lines, not a cut label).</summary>
    private static string LegendLabel(string label) => Wrap(label, LegendChars);

    /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters.</summary>
    public static string Wrap(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }
        }

        if (line.Length > 0) lines.Add(line);
        return string.Join('\n', lines);
    }

    /// <summary>A compact, culture-invariant tick label: 1500 → "1500", 0.25 → "0.25", 267.5 → "267.5"; never "k".</summary>
    public static string Num(double v) =>
        Math.Abs(v) < 1e-9 ? "0" : v.ToString(Math.Abs(v) >= 1e7 ? "0.###e0" : "0.###", CultureInfo.InvariantCulture);

    public static string NinesLabel(double nines) => nines switch
    {
        0 => "p0",
        1 => "p90",
        2 => "p99",
        3 => "p99.9",
        4 => "p99.99",
        5 => "p99.999",
        _ => string.Create(CultureInfo.InvariantCulture, $"{nines:0.#} nines"),
    };

    /// <summary>A value as plotted: log10 on a log axis (non-positive values have no place there: a gap).</summary>
    private static double Y(ChartSpec spec, double y) => !spec.LogY ? y : y > 0 ? Math.Log10(y) : double.NaN;

    private static SP.Color Color(string hex) => SP.Color.FromHex(hex);

    private static SP.LinePattern Pattern(LineStyle style) => style switch
    {
        LineStyle.Dashed => new SP.LinePattern([8, 5], 0, "dashed"),
        LineStyle.Dotted => new SP.LinePattern([2, 3], 0, "dotted"),
        LineStyle.DashDot => new SP.LinePattern([9, 3, 2, 3], 0, "dash-dot"),
        _ => SP.LinePattern.Solid,
    };

    private static SP.MarkerShape Shape(MarkerKind kind) => kind switch
    {
        MarkerKind.Cross => SP.MarkerShape.Eks,
        MarkerKind.Triangle => SP.MarkerShape.FilledTriangleUp,
        MarkerKind.Square => SP.MarkerShape.FilledSquare,
        _ => SP.MarkerShape.FilledCircle,
    };
}
