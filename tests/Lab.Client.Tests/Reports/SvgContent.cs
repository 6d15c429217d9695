using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// What a chart's SVG shows, read the way a person reads it: its texts (title, axes, ticks, legend, caption)
/// and its markers by shape and colour. Charts are tested by what they contain, not by their bytes.
/// </summary>
public sealed partial class SvgContent
{
    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";
    private readonly XDocument _doc;

    public SvgContent(string svg) => _doc = XDocument.Parse(svg);

    /// <summary>Every text, whitespace collapsed as a browser does.</summary>
    public IReadOnlyList<string> Texts => [.. _doc.Descendants(s_svg + "text").Select(t => Spaces().Replace(t.Value, " ").Trim())];

    public IReadOnlyList<string> Ids => [.. _doc.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>()];

    public IReadOnlyList<string> References => [.. _doc.Descendants().Select(e => (string?)e.Attribute("clip-path")).OfType<string>()
        .Select(v => UrlId().Match(v)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    public XElement Root => _doc.Root!;

    /// <summary>Every stroked element: its colour as written, width, miter limit and dash pattern (null: solid).</summary>
    public IReadOnlyList<(string Element, string Color, string? Width, string? Miter, string? Dashes)> Strokes =>
        [.. _doc.Descendants().Where(e => e.Attribute("stroke") is { Value: not "none" })
            .Select(e => (e.Name.LocalName, (string)e.Attribute("stroke")!, (string?)e.Attribute("stroke-width"), (string?)e.Attribute("stroke-miterlimit"), (string?)e.Attribute("stroke-dasharray")))];

    /// <summary>Filled circles of a colour (points and the legend's sample).</summary>
    public int Circles(string color) => Filled("ellipse", color);

    /// <summary>Filled squares of a colour.</summary>
    public int Squares(string color) => Filled("rect", color);

    /// <summary>Filled triangles of a colour: closed three-corner paths.</summary>
    public int Triangles(string color) => _doc.Descendants(s_svg + "path")
        .Count(p => Same((string?)p.Attribute("fill"), color) && ((string?)p.Attribute("d"))?.Count(c => c == 'L') == 2);

    /// <summary>Crosses of a colour: two stroked strokes in one path.</summary>
    public int Crosses(string color) => _doc.Descendants(s_svg + "path")
        .Count(p => Same((string?)p.Attribute("stroke"), color) && (string?)p.Attribute("fill") == "none" && ((string?)p.Attribute("d"))?.Count(c => c == 'M') == 2
            && ((string?)p.Attribute("d"))?.Count(c => c == 'L') == 2);

    private int Filled(string element, string color) => _doc.Descendants(s_svg + element).Count(e => Same((string?)e.Attribute("fill"), color));

    private static bool Same(string? a, string b) => a is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlId();
}
