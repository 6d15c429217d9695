using System.Globalization;
using System.Text;
using System.Xml;

namespace Lab.Client.Reports;

/// <summary>
/// Draws a <see cref="ChartSpec"/> as a standalone SVG: the load phases as labelled bands behind the
/// data, axes with units and round ticks (linear or log), a legend beside the plot, a gap wherever a
/// value is missing. Deterministic output (golden-file tested), no scripts, no external resources.
/// </summary>
public static class SvgChart
{
    public const int Width = 960;
    public const int Height = 340;
    private const int Left = 72, Right = 200, Top = 44, Bottom = 52;
    private const int PlotW = Width - Left - Right, PlotH = Height - Top - Bottom;

    public static string Render(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var points = spec.Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var xMax = Math.Max(spec.Bands.Count == 0 ? 0 : spec.Bands.Max(b => b.EndS), points.Count == 0 ? 1 : points.Max(p => p.X));
        if (spec.XAxis == XAxisKind.Nines) xMax = Math.Max(3, Math.Ceiling(xMax));
        var xTicks = NiceTicks(0, xMax);
        xMax = xTicks[^1];

        var yValues = points.Select(p => p.Y).Concat(spec.References?.Select(r => r.Y) ?? []).Where(y => !spec.LogY || y > 0).ToList();
        double[] yTicks;
        Func<double, double> y;
        if (spec.LogY)
        {
            var lo = Math.Pow(10, Math.Floor(Math.Log10(yValues.Count == 0 ? 1 : Math.Max(1e-3, yValues.Min()))));
            var hi = Math.Pow(10, Math.Ceiling(Math.Log10(yValues.Count == 0 ? 10 : Math.Max(lo * 10, yValues.Max()))));
            yTicks = Enumerable.Range(0, (int)Math.Round(Math.Log10(hi / lo)) + 1).Select(k => lo * Math.Pow(10, k)).ToArray();
            y = v => Top + PlotH - (Math.Log10(Math.Max(v, lo)) - Math.Log10(lo)) / (Math.Log10(hi) - Math.Log10(lo)) * PlotH;
        }
        else
        {
            // 5 % headroom: a line at the maximum must not vanish into the frame.
            yTicks = NiceTicks(0, yValues.Count == 0 ? 1 : Math.Max(1e-9, yValues.Max() * 1.05));
            var top = yTicks[^1];
            y = v => Top + PlotH - v / top * PlotH;
        }

        double X(double v) => Left + v / xMax * PlotW;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{Esc(spec.Id)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Esc(spec.Title)}</title>\n<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#222\">{Esc(spec.Title)}</text>\n");

        // Phase bands first, so data is drawn over them.
        for (var i = 0; i < spec.Bands.Count; i++)
        {
            var b = spec.Bands[i];
            var (x0, x1) = (X(b.StartS), X(Math.Min(b.EndS, xMax)));
            var fill = b.IsPause ? "#f2f2f2" : i % 2 == 0 ? "#eef4fb" : "#f7f9fd";
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"phase\" x=\"{F(x0)}\" y=\"{Top}\" width=\"{F(x1 - x0)}\" height=\"{PlotH}\" fill=\"{fill}\"/>\n");
            if (x1 - x0 >= 44)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + 4)}\" y=\"{Top + 13}\" font-size=\"10.5\" fill=\"#5a6b7d\">{Esc(Fit(b.Label, x1 - x0 - 8))}</text>\n");
            }

            if (i > 0) svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x0)}\" y1=\"{Top}\" x2=\"{F(x0)}\" y2=\"{Top + PlotH}\" stroke=\"#c5d3e2\" stroke-width=\"1\"/>\n");
        }

        // Grid and ticks.
        foreach (var t in yTicks)
        {
            var py = y(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{F(py)}\" x2=\"{Left + PlotW}\" y2=\"{F(py)}\" stroke=\"#e3e3e3\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(py + 4)}\" text-anchor=\"end\" fill=\"#444\">{Esc(Num(t))}</text>\n");
        }

        foreach (var t in xTicks)
        {
            var px = X(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(px)}\" y1=\"{Top + PlotH}\" x2=\"{F(px)}\" y2=\"{Top + PlotH + 5}\" stroke=\"#666\"/>\n");
            var label = spec.XAxis == XAxisKind.Nines ? NinesLabel(t) : Num(t);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(px)}\" y=\"{Top + PlotH + 18}\" text-anchor=\"middle\" fill=\"#444\">{Esc(label)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotW}\" height=\"{PlotH}\" fill=\"none\" stroke=\"#888\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotW / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\" fill=\"#333\">{Esc(spec.XLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {Top + PlotH / 2}) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">{Esc(spec.YLabel)}</text>\n");

        // Reference lines, then the data.
        foreach (var r in spec.References ?? [])
        {
            var py = y(r.Y);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"reference\" x1=\"{Left}\" y1=\"{F(py)}\" x2=\"{Left + PlotW}\" y2=\"{F(py)}\" stroke=\"{r.Color}\" stroke-width=\"1.2\" stroke-dasharray=\"2 4\"/>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<clipPath id=\"{Esc(spec.Id)}-plot\"><rect x=\"{Left}\" y=\"{Top - 2}\" width=\"{PlotW}\" height=\"{PlotH + 4}\"/></clipPath>\n<g clip-path=\"url(#{Esc(spec.Id)}-plot)\">\n");
        foreach (var s in spec.Series)
        {
            var path = new StringBuilder();
            var pen = false;
            foreach (var (px, py) in s.Points)
            {
                if (!double.IsFinite(px) || !double.IsFinite(py) || (spec.LogY && py <= 0))
                {
                    pen = false;
                    continue;
                }

                path.Append(pen ? " L" : " M").Append(F(X(px))).Append(',').Append(F(y(py)));
                pen = true;
            }

            if (path.Length == 0) continue;
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"series\" d=\"{path.ToString().Trim()}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\" stroke-linejoin=\"round\"{Dash(s.Style)}><title>{Esc(s.Label)}</title></path>\n");
        }

        svg.Append("</g>\n");

        // Legend.
        var ly = Top + 4;
        foreach (var s in spec.Series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + PlotW + 14}\" y1=\"{ly + 5}\" x2=\"{Left + PlotW + 40}\" y2=\"{ly + 5}\" stroke=\"{s.Color}\" stroke-width=\"2.5\"{Dash(s.Style)}/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotW + 46}\" y=\"{ly + 9}\" fill=\"#222\">{Esc(Fit(s.Label, Right - 52))}</text>\n");
            ly += 18;
        }

        foreach (var r in spec.References ?? [])
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left + PlotW + 14}\" y1=\"{ly + 5}\" x2=\"{Left + PlotW + 40}\" y2=\"{ly + 5}\" stroke=\"{r.Color}\" stroke-width=\"1.2\" stroke-dasharray=\"2 4\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotW + 46}\" y=\"{ly + 9}\" fill=\"#222\">{Esc(Fit(r.Label, Right - 52))}</text>\n");
            ly += 18;
        }

        if (spec.Series.All(s => s.Points.All(p => !double.IsFinite(p.Y))))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotW / 2}\" y=\"{Top + PlotH / 2}\" text-anchor=\"middle\" fill=\"#999\">no data</text>\n");
        }

        if (spec.Caption is { } caption)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotW}\" y=\"22\" text-anchor=\"end\" font-size=\"11\" fill=\"#666\">{Esc(caption)}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Round ticks from <paramref name="min"/> to at least <paramref name="max"/>: steps of 1, 2 or 5 × 10^k, about five of them.</summary>
    public static double[] NiceTicks(double min, double max)
    {
        if (!(max > min)) max = min + 1;
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (var t = min; t < max + step * 0.999; t += step) ticks.Add(Math.Round(t, 10));
        return [.. ticks];
    }

    /// <summary>A compact, culture-invariant number: 1,500 → "1500", 25,000 → "25k", 0.25 → "0.25".</summary>
    public static string Num(double v) => Math.Abs(v) switch
    {
        >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e4 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 100 => v.ToString("0", CultureInfo.InvariantCulture),
        >= 1 => v.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "0",
        _ => v.ToString("0.###", CultureInfo.InvariantCulture),
    };

    private static string NinesLabel(double nines) => nines switch
    {
        0 => "p0",
        1 => "p90",
        2 => "p99",
        3 => "p99.9",
        4 => "p99.99",
        5 => "p99.999",
        _ => $"{nines:0.#} nines",
    };

    private static string Dash(LineStyle style) => style switch
    {
        LineStyle.Dashed => " stroke-dasharray=\"7 4\"",
        LineStyle.Dotted => " stroke-dasharray=\"2 3\"",
        LineStyle.DashDot => " stroke-dasharray=\"8 3 2 3\"",
        _ => "",
    };

    private static string Fit(string text, double widthPx)
    {
        var max = Math.Max(3, (int)(widthPx / 6.4));
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Checks that <paramref name="svg"/> is well-formed XML (used by tests and before writing).</summary>
    public static void Validate(string svg)
    {
        using var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
        }
    }
}
