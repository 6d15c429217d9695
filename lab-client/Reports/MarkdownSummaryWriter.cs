using System.Text;

namespace Lab.Client.Reports;

/// <summary><c>summary.md</c>: the report's essentials for a pull request or a wiki; charts as the PNG files beside it, each with its caption.</summary>
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
        md.Append("Parameters: ").Append(h.ParameterText).Append(" · repetitions: ").Append(h.Repetitions).Append("  \n");
        md.Append("Machine: ").Append(h.Machine).Append(" · ").Append(h.Runtime).Append(" · commit `").Append(h.Commit).Append("`\n\n");
        foreach (var reason in h.Reasons) md.Append("> **Incomplete:** ").Append(reason).Append('\n');
        foreach (var v in report.Variants.Where(v => v.AnyClientLimited))
        {
            md.Append("> **Client-limited (").Append(v.Name).Append("):** ").Append(string.Join("; ", v.ClientLimitedWhy)).Append(" — its numbers understate what the server could do.\n");
        }

        foreach (var v in report.Variants.Where(v => !v.HasTelemetry))
        {
            md.Append("> **No telemetry (").Append(v.Name).Append("):** the target gave no thread-pool samples; its server-side rows are empty.\n");
        }

        if (h.Reasons.Count > 0 || report.Variants.Any(v => v.AnyClientLimited || !v.HasTelemetry)) md.Append('\n');

        md.Append("## Verdicts\n\n");
        if (report.Verdicts.Count == 0)
        {
            md.Append("The scenario has no checks.\n\n");
        }
        else
        {
            var repeated = report.Repetitions > 1;
            md.Append(repeated ? "| check | measured (medians) | verdict | held in |\n|---|---|---|---:|\n" : "| check | measured | verdict |\n|---|---|---|\n");
            foreach (var v in report.Verdicts)
            {
                var word = v.Outcome switch { CheckOutcome.Passed => "pass", CheckOutcome.Failed => "**fail**", _ => "inconclusive" };
                md.Append("| `").Append(v.Expression).Append("` | ").Append(v.Problem ?? v.Substituted).Append(" | ").Append(word);
                md.Append(repeated ? $" | {v.Stability} |\n" : " |\n");
            }

            md.Append('\n');
        }

        md.Append("## Settings per variant\n\n| | ").AppendJoin(" | ", report.Variants.Select(v => $"**{v.Name}**")).Append(" |\n|---|")
            .Append(string.Concat(Enumerable.Repeat("---|", report.Variants.Count))).Append('\n');
        var settings = report.Variants.Select(v => VariantSettings.Of(v, report)).ToList();
        for (var row = 0; row < (settings.Count == 0 ? 0 : settings[0].Count); row++)
        {
            md.Append("| ").Append(settings[0][row].Label).Append(" | ").AppendJoin(" | ", settings.Select(s => $"`{s[row].Value.Replace("|", "\\|", StringComparison.Ordinal)}`")).Append(" |\n");
        }

        md.Append("\n## Summary\n\n| | ").AppendJoin(" | ", report.Variants.Select(v => $"**{v.Name}**")).Append(" |\n|---|")
            .Append(string.Concat(Enumerable.Repeat("---:|", report.Variants.Count))).Append('\n');
        foreach (var (label, metric, unit) in SummaryRows.All)
        {
            md.Append("| ").Append(label).Append(" | ").AppendJoin(" | ", report.Variants.Select(v => SummaryRows.Cell(v, metric, unit))).Append(" |\n");
        }

        md.Append('\n').Append(HtmlReportWriter.Notes(report)).Append("\n\n").Append(PoolSection.Markdown(PoolSection.For(report))).Append(ModelSection.Markdown(ModelSection.For(report))).Append("## Charts\n\n");
        foreach (var c in charts)
        {
            md.Append("![").Append(c.Title).Append("](").Append(c.Id).Append(".png)\n\n");
            if (!string.IsNullOrEmpty(c.Caption)) md.Append('*').Append(c.Caption.Trim().Replace("*", "\\*", StringComparison.Ordinal)).Append("*\n");
            md.Append('\n');
        }

        md.Append("Full report: [report.html](report.html) · data: `requests.csv`, `timeseries.csv`, `summary.json`, `samples-*.jsonl`, `run.json`\n");
        return md.ToString();
    }
}
