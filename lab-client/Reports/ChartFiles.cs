namespace Lab.Client.Reports;

/// <summary>
/// Writes each chart twice into a folder: <c>&lt;id&gt;.svg</c> (what report.html inlines) and <c>&lt;id&gt;.png</c>
/// beside it (for a README, a pull request, a slide). Returns the SVGs by chart id, for the HTML writers.
/// </summary>
public static class ChartFiles
{
    public static IReadOnlyDictionary<string, string> Write(string folder, IReadOnlyList<ChartSpec> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        var svgs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in charts)
        {
            var svg = ChartRenderer.Svg(c);
            ChartRenderer.Validate(svg);
            File.WriteAllText(Path.Combine(folder, c.Id + ".svg"), svg);
            File.WriteAllBytes(Path.Combine(folder, c.Id + ".png"), ChartRenderer.Png(c));
            svgs[c.Id] = svg;
        }

        return svgs;
    }
}
