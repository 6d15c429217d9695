using System.Text;

namespace Lab.Client.Reports;

/// <summary><c>summary.md</c>: the report's essentials for a pull request or a wiki; charts linked as SVG files.</summary>
public static class MarkdownSummaryWriter
{
    public static string Write(RunReport report, IReadOnlyList<ChartSpec> charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        var h = RunHeader.Of(report);
        var md = new StringBuilder();
        md.Append("# ").Append(h.Scenario).Append(" — ").Append(h.Status).Append("\n\n");
        md.Append(h.Description.Trim()).Append("\n\n");
        md.Append("Claims: ").Append(h.Claims).Append(" · run `").Append(h.RunId).Append("` · ").Append(h.Started).Append(" → ").Append(h.Ended).Append("  \n");
        md.Append("Machine: ").Append(h.Machine).Append(" · ").Append(h.Runtime).Append(" · commit `").Append(h.Commit).Append("`\n\n");
        foreach (var reason in h.Reasons) md.Append("> **Incomplete:** ").Append(reason).Append('\n');
        foreach (var v in report.Variants.Where(v => v.Summary.ClientLimited))
        {
            md.Append("> **Client-limited (").Append(v.Data.Name).Append("):** ").Append(string.Join("; ", v.Summary.ClientLimitedWhy)).Append(" — its numbers understate what the server could do.\n");
        }

        if (h.Reasons.Count > 0 || report.Variants.Any(v => v.Summary.ClientLimited)) md.Append('\n');

        md.Append("## Verdicts\n\n");
        if (report.Verdicts.Count == 0)
        {
            md.Append("The scenario has no checks.\n\n");
        }
        else
        {
            md.Append("| check | measured | verdict |\n|---|---|---|\n");
            foreach (var v in report.Verdicts)
            {
                md.Append("| `").Append(v.Expression).Append("` | ").Append(v.Problem ?? v.Substituted).Append(" | ").Append(v.Passed ? "pass" : "**fail**").Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("## Summary\n\n| | ").AppendJoin(" | ", report.Variants.Select(v => $"**{v.Data.Name}**")).Append(" |\n|---|")
            .Append(string.Concat(Enumerable.Repeat("---:|", report.Variants.Count))).Append('\n');
        md.Append("| endpoint | ").AppendJoin(" | ", report.Variants.Select(v => $"`{v.Summary.Endpoints}`")).Append(" |\n");
        foreach (var (label, metric, unit) in SummaryRows.All)
        {
            md.Append("| ").Append(label).Append(" | ").AppendJoin(" | ", report.Variants.Select(v => SummaryRows.Cell(v.Summary, metric, unit))).Append(" |\n");
        }

        md.Append("\nLatency is measured from each request's intended send time (no coordinated omission); service time from its actual send.\n\n## Charts\n\n");
        foreach (var c in charts) md.Append("![").Append(c.Title).Append("](").Append(c.Id).Append(".svg)\n");
        md.Append("\nFull report: [report.html](report.html) · data: `requests.csv`, `timeseries.csv`, `summary.json`, `samples-*.jsonl`, `run.json`\n");
        return md.ToString();
    }
}
