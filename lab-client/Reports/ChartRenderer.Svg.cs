using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml;

namespace Lab.Client.Reports;

/// <summary>
/// ScottPlot's SVG made fit to inline: its clip-path ids (<c>cl_4</c>…) repeat from chart to chart, so in one
/// HTML page a later chart would clip to an earlier chart's rectangles; and they come from a process-wide
/// counter, so the same chart drawn twice got other ids. Every id is renamed to the chart's id and its rank in
/// the file (<c>queues-clip1</c>), which makes each chart self-contained, inlined or stored, and the same bytes
/// every time.
/// </summary>
public static partial class ChartRenderer
{
    /// <summary>The chart as the lab stores and inlines it: ids unique to this chart, a title, a class and a viewBox.</summary>
    public static string Svg(ChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Isolate(RawSvg(spec), spec.Id, spec.Title);
    }

    /// <summary>
    /// Renames every id (and every reference to one) to <paramref name="chartId"/> and its rank, drops the XML declaration
    /// (an SVG inlined in HTML has none), and gives the root a class, a viewBox (so it scales) and a title. Also
    /// trims the trailing comma ScottPlot leaves in glyph position lists (<c>x="0, 4.8, "</c>), which browsers
    /// report as an attribute error, and names fallbacks for the font.
    /// </summary>
    public static string Isolate(string svg, string chartId, string title)
    {
        ArgumentNullException.ThrowIfNull(svg);
        ArgumentNullException.ThrowIfNull(chartId);
        ArgumentNullException.ThrowIfNull(title);
        var prefix = Regex.Replace(chartId, "[^A-Za-z0-9_-]", "_") + "-clip";
        svg = XmlDeclaration().Replace(svg, "");
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in IdAttribute().Matches(svg)) renamed.TryAdd(m.Groups[2].Value, prefix + (renamed.Count + 1).ToString(CultureInfo.InvariantCulture));
        string Renamed(string id) => renamed.TryGetValue(id, out var name) ? name : id;
        svg = IdAttribute().Replace(svg, m => $"{m.Groups[1].Value}=\"{Renamed(m.Groups[2].Value)}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{Renamed(m.Groups[1].Value)})");
        svg = HrefReference().Replace(svg, m => $"{m.Groups[1].Value}=\"#{Renamed(m.Groups[2].Value)}\"");
        svg = TrailingComma().Replace(svg, "$1\"");
        svg = svg.Replace($"font-family=\"{FontName}\"", $"font-family=\"{FontName}, Verdana, sans-serif\"", StringComparison.Ordinal);
        var root = RootElement().Match(svg);
        if (!root.Success) throw new InvalidDataException($"chart {chartId}: no <svg> root in ScottPlot's output");
        var open = string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" class=\"chart\" data-chart=\"{WebUtility.HtmlEncode(chartId)}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\">\n<title>{WebUtility.HtmlEncode(title)}</title>");
        return (svg[..root.Index] + open + svg[(root.Index + root.Length)..]).Trim() + "\n";
    }

    /// <summary>Checks that <paramref name="svg"/> is well-formed XML (used before writing, and by tests).</summary>
    public static void Validate(string svg)
    {
        using var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
        }
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\b(id)=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex(@"\b((?:xlink:)?href)=""#([^""]+)""")]
    private static partial Regex HrefReference();

    [GeneratedRegex(@"(\s[xy]=""[^""]*?),\s*""")]
    private static partial Regex TrailingComma();

    [GeneratedRegex(@"<svg\b[^>]*>")]
    private static partial Regex RootElement();
}
