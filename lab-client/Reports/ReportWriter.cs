namespace Lab.Client.Reports;

/// <summary>Writes every report file of a run folder from its data: charts (SVG and PNG), report.html, summary.md, timeseries.csv, summary.json.</summary>
public static class ReportWriter
{
    public static RunReport Write(string folder)
    {
        var report = RunReport.Build(folder);
        var charts = ChartSet.For(report);
        var svgs = ChartFiles.Write(folder, charts);
        File.WriteAllText(Path.Combine(folder, "timeseries.csv"), TimeSeriesCsvWriter.Write(report));
        File.WriteAllText(Path.Combine(folder, "summary.json"), SummaryFile.Of(report).ToJson());
        File.WriteAllText(Path.Combine(folder, "summary.md"), MarkdownSummaryWriter.Write(report, charts));
        File.WriteAllText(Path.Combine(folder, "report.html"), HtmlReportWriter.Write(report, charts, svgs));
        return report;
    }
}
