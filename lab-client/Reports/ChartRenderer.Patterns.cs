using System.Globalization;
using System.Text.RegularExpressions;
using SP = ScottPlot;

namespace Lab.Client.Reports;

/// <summary>
/// Dashed and dotted lines in the SVG. ScottPlot writes SVG through Skia's SVG canvas, which has no
/// <c>stroke-dasharray</c>: it traces a dashed path as a filled outline of every dash (no longer a stroke, and
/// several times the size), drops the dash from anything drawn as a shape, and prints "Unsupported path effect in
/// addPaint." to stderr each time it meets one. ScottPlot's paint is shared and keeps the last dash, so every fill
/// and text after a dashed line printed it again: 888 times for one c1-burst report.
/// <para>
/// So the SVG is drawn with no dash at all. Each patterned line is drawn solid and marked twice: by a stroke colour a
/// bit away from its own (unique to its colour and pattern, used by no other line of the chart), and by a miter limit
/// no chart uses. A stroke with both marks gets its colour back and its pattern as <c>stroke-dasharray</c>. The colour
/// is what identifies a line: every stroke ScottPlot draws sets its colour, so a mark cannot leak from one stroke to
/// the next, as the miter limit does (tick marks keep the last one set); the miter limit makes sure a stroke that
/// happens to have a mark's colour is left alone. Neither mark can change the drawing: both are replaced before anyone
/// sees the file. The PNG is drawn from the same plot with Skia's own dashes; ScottPlot's dash lengths are pixels
/// whatever the line's width, and so are the SVG's.
/// </para>
/// </summary>
public static partial class ChartRenderer
{
    /// <summary>The first miter mark: far above any miter limit a chart would use (ScottPlot's default is 4).</summary>
    private const int FirstMiterMark = 4096;

    /// <summary>How a patterned line is drawn into the SVG (its tag colour and miter mark, as Skia writes them) and how it is written back.</summary>
    private sealed record Mark(SP.Color Tag, float MiterMark, string Stroke, string Miter, string RealStroke, string RealMiter, string Dashes);

    /// <summary>
    /// The plot as SVG with its line patterns as <c>stroke-dasharray</c>, and nothing printed. The plot is left as it
    /// was (its PNG is drawn from the same plot, with Skia's dashes).
    /// </summary>
    private static string PatternedSvg(SP.Plot plot, int width, int height)
    {
        var styles = LineStyles(plot).ToList();
        var patterned = styles.Where(s => s.Pattern.Intervals is { Length: > 0 }).ToList();
        if (patterned.Count == 0) return plot.GetSvgXml(width, height);

        var taken = styles.Select(s => Rgb(s.Color)).ToHashSet();
        var marks = new Dictionary<(int Rgb, string Dashes, float Miter), Mark>();
        var saved = patterned.Select(s => (Style: s, s.Color, s.Pattern, s.StrokeMiter)).ToList();
        foreach (var style in patterned)
        {
            var key = (Rgb(style.Color), Dashes(style.Pattern), style.StrokeMiter);
            if (!marks.TryGetValue(key, out var mark))
            {
                var tag = TagFor(style.Color, taken);
                taken.Add(Rgb(tag));
                float miter = FirstMiterMark + marks.Count;
                mark = new Mark(tag, miter, SkiaColor(tag), Num(miter), SkiaColor(style.Color), Num(style.StrokeMiter), key.Item2);
                marks.Add(key, mark);
            }

            style.Color = mark.Tag.WithAlpha(style.Color.A);
            style.Pattern = SP.LinePattern.Solid;
            style.StrokeMiter = mark.MiterMark;
        }

        string svg;
        try
        {
            svg = plot.GetSvgXml(width, height);
        }
        finally
        {
            foreach (var (style, color, pattern, miter) in saved)
            {
                style.Color = color;
                style.Pattern = pattern;
                style.StrokeMiter = miter;
            }
        }

        // A mark's miter limit can also reach strokes that do not set their own (ticks): they get the real one back, as in the PNG.
        var byMiter = marks.Values.ToDictionary(m => m.Miter, StringComparer.Ordinal);
        return Stroked().Replace(svg, e =>
        {
            var miter = MiterAttribute().Match(e.Value);
            if (!miter.Success || !byMiter.TryGetValue(miter.Groups[1].Value, out var m)) return e.Value;
            var stroke = StrokeAttribute().Match(e.Value);
            var edits = new List<(Match At, string Text)> { (miter, $" stroke-miterlimit=\"{m.RealMiter}\"") };
            if (string.Equals(stroke.Groups[1].Value, m.Stroke, StringComparison.OrdinalIgnoreCase)) edits = [(stroke, $" stroke=\"{m.RealStroke}\""), (miter, $" stroke-miterlimit=\"{m.RealMiter}\" {m.Dashes}")];
            var element = e.Value;
            foreach (var (at, text) in edits.OrderByDescending(x => x.At.Index)) element = element.Remove(at.Index, at.Length).Insert(at.Index, text);
            return element;
        });
    }

    /// <summary>
    /// Every line style the plot draws with, once each (a scatter's legend entry draws with the scatter's own style):
    /// its plottables' lines, outlines and markers, and the legend's entries and frame. Axes and grid lines are solid
    /// in every chart of the lab, so they are not looked at.
    /// </summary>
    private static IEnumerable<SP.LineStyle> LineStyles(SP.Plot plot)
    {
        var seen = new HashSet<SP.LineStyle>(ReferenceEqualityComparer.Instance);
        var owners = plot.GetPlottables().Cast<object>().Concat(plot.Legend.ManualItems);
        foreach (var style in owners.SelectMany(StylesOf).Append(plot.Legend.OutlineStyle))
        {
            if (seen.Add(style)) yield return style;
        }
    }

    private static IEnumerable<SP.LineStyle> StylesOf(object owner)
    {
        if (owner is SP.IHasLine line) yield return line.LineStyle;
        if (owner is SP.IHasOutline outline) yield return outline.OutlineStyle;
        if (owner is SP.IHasMarker marker)
        {
            yield return marker.MarkerStyle.LineStyle;
            yield return marker.MarkerStyle.OutlineStyle;
        }
    }

    /// <summary>
    /// A colour within a few units of blue from <paramref name="color"/> that no line style of the chart uses and that
    /// Skia writes as <c>#RRGGBB</c> (not a name, not three digits), so it is found again as written.
    /// </summary>
    private static SP.Color TagFor(SP.Color color, HashSet<int> taken)
    {
        for (var d = 1; d < 256; d++)
        {
            var tag = new SP.Color(color.R, color.G, (byte)(color.B ^ d));
            var written = SkiaColor(tag);
            if (written.Length == 7 && !taken.Contains(Rgb(tag))) return tag;
        }

        throw new InvalidOperationException($"no free colour near {SkiaColor(color)} to mark a patterned line with");
    }

    private static int Rgb(SP.Color c) => (c.R << 16) | (c.G << 8) | c.B;

    /// <summary>A colour as Skia's SVG canvas writes it: an HTML 4 name, else <c>#RGB</c> when it can, else <c>#RRGGBB</c>.</summary>
    private static string SkiaColor(SP.Color c)
    {
        var name = Rgb(c) switch
        {
            0x000000 => "black",
            0x000080 => "navy",
            0x0000ff => "blue",
            0x008000 => "green",
            0x008080 => "teal",
            0x00ff00 => "lime",
            0x00ffff => "aqua",
            0x800000 => "maroon",
            0x800080 => "purple",
            0x808000 => "olive",
            0x808080 => "gray",
            0xc0c0c0 => "silver",
            0xff0000 => "red",
            0xff00ff => "fuchsia",
            0xffff00 => "yellow",
            0xffffff => "white",
            _ => null,
        };
        if (name is not null) return name;
        static bool Short(byte v) => v >> 4 == (v & 0xf);
        return Short(c.R) && Short(c.G) && Short(c.B)
            ? string.Create(CultureInfo.InvariantCulture, $"#{c.R & 0xf:X1}{c.G & 0xf:X1}{c.B & 0xf:X1}")
            : string.Create(CultureInfo.InvariantCulture, $"#{c.R:X2}{c.G:X2}{c.B:X2}");
    }

    /// <summary>A pattern as SVG attributes: Skia's intervals (pixels) and phase (how far into them the line starts).</summary>
    private static string Dashes(SP.LinePattern pattern)
    {
        var dashes = $"stroke-dasharray=\"{string.Join(' ', pattern.Intervals.Select(i => Num(i)))}\"";
        return pattern.Phase == 0 ? dashes : dashes + $" stroke-dashoffset=\"{Num(pattern.Phase)}\"";
    }

    /// <summary>An element with a stroke (Skia writes paths, rects, ellipses, lines and polylines).</summary>
    [GeneratedRegex(@"<[a-z]+\b[^>]*\sstroke=""[^""]*""[^>]*>")]
    private static partial Regex Stroked();

    [GeneratedRegex(@"\sstroke=""([^""]*)""")]
    private static partial Regex StrokeAttribute();

    [GeneratedRegex(@"\sstroke-miterlimit=""([^""]*)""")]
    private static partial Regex MiterAttribute();
}
