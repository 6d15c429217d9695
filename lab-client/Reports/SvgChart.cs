namespace Lab.Client.Reports;

/// <summary>
/// The name <c>compare</c> (lab-client/Commands/CompareCommand.cs) still calls: the SVG of a chart, drawn by
/// <see cref="ChartRenderer"/> (ScottPlot). Nothing is drawn here. Once CompareCommand writes its charts through
/// <see cref="ChartFiles.Write"/> (which adds the PNGs), this forwarder goes.
/// </summary>
public static class SvgChart
{
    public static string Render(ChartSpec spec) => ChartRenderer.Svg(spec);
}
