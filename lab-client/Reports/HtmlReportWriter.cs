using System.Net;
using System.Text;

namespace Lab.Client.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained file — inline CSS and SVG, no scripts, nothing fetched — with
/// what was run and where, the client-bottleneck warning when it applies, the verdicts, the summary per
/// variant and every chart.
/// </summary>
public static class HtmlReportWriter
{
    private const string Css = """
        body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#222;line-height:1.4}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta{color:#555;font-size:13px}.meta td{padding:1px 12px 1px 0;vertical-align:top}
        table.grid{border-collapse:collapse;font-size:13px;width:100%}table.grid th,table.grid td{border:1px solid #ddd;padding:4px 8px}
        table.grid th{background:#f5f7fa;text-align:left}table.grid td.num{text-align:right;font-variant-numeric:tabular-nums}
        .pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}
        .warn{background:#fff4e5;border:1px solid #f0b429;padding:8px 12px;margin:12px 0;border-radius:4px}
        .bad{background:#fdecea;border:1px solid #e57373;padding:8px 12px;margin:12px 0;border-radius:4px}
        .status-complete{color:#1a7f37}.status-incomplete,.status-running{color:#c62828}
        figure{margin:12px 0}svg.chart{max-width:100%;height:auto;border:1px solid #eee}
        code{background:#f3f3f3;padding:0 3px;border-radius:3px}
        """;

    public static string Write(RunReport report, IReadOnlyList<ChartSpec> charts, IReadOnlyDictionary<string, string> svgs)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        ArgumentNullException.ThrowIfNull(svgs);
        var h = RunHeader.Of(report);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(h.Scenario)).Append(" — thread-starvation lab</title>\n<style>")
            .Append(Css).Append("</style></head>\n<body>\n");
        html.Append("<h1>").Append(E(h.Scenario)).Append(" <span class=\"status-").Append(E(h.Status)).Append("\">(").Append(E(h.Status)).Append(")</span></h1>\n");
        html.Append("<p>").Append(E(h.Description.Trim())).Append("</p>\n<table class=\"meta\">");
        Row(html, "claims", h.Claims);
        Row(html, "run", $"{h.RunId}: {h.Started} → {h.Ended}");
        Row(html, "machine", h.Machine);
        Row(html, "runtime", h.Runtime);
        Row(html, "commit", h.Commit);
        Row(html, "command", h.CommandLine);
        html.Append("</table>\n");

        foreach (var reason in h.Reasons) html.Append("<div class=\"bad\"><b>Incomplete run:</b> ").Append(E(reason)).Append("</div>\n");
        foreach (var v in report.Variants.Where(v => v.Summary.ClientLimited))
        {
            html.Append("<div class=\"warn\"><b>Client-limited (").Append(E(v.Data.Name)).Append("):</b> ").Append(E(string.Join("; ", v.Summary.ClientLimitedWhy)))
                .Append(". The load client could not keep its schedule, so this variant's numbers understate what the server could do.</div>\n");
        }

        html.Append("<h2>Verdicts</h2>\n");
        if (report.Verdicts.Count == 0)
        {
            html.Append("<p>The scenario has no checks.</p>\n");
        }
        else
        {
            html.Append("<table class=\"grid verdicts\"><tr><th>check</th><th>measured</th><th>verdict</th></tr>\n");
            foreach (var v in report.Verdicts)
            {
                html.Append("<tr><td><code>").Append(E(v.Expression)).Append("</code></td><td>").Append(E(v.Problem ?? v.Substituted)).Append("</td><td class=\"")
                    .Append(v.Passed ? "pass\">pass" : "fail\">fail").Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Summary per variant</h2>\n<table class=\"grid summary\"><tr><th></th>");
        foreach (var v in report.Variants) html.Append("<th>").Append(E(v.Data.Name)).Append("</th>");
        html.Append("</tr>\n<tr><td>endpoint</td>");
        foreach (var v in report.Variants) html.Append("<td><code>").Append(E(v.Summary.Endpoints)).Append("</code></td>");
        html.Append("</tr>\n");
        foreach (var (label, metric, unit) in SummaryRows.All)
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var v in report.Variants) html.Append("<td class=\"num\">").Append(E(SummaryRows.Cell(v.Summary, metric, unit))).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n<p class=\"meta\">Latency is measured from each request's intended send time, so a stall cannot hide (no coordinated omission); service time from its actual send. Server figures come from the server's own sampler thread, which starvation cannot starve.</p>\n");
        html.Append("<h2>Charts</h2>\n");
        foreach (var c in charts)
        {
            html.Append("<figure>").Append(svgs[c.Id]).Append("</figure>\n");
        }

        html.Append("<h2>Data</h2>\n<p class=\"meta\">In this folder: <code>requests.csv</code> (every request), <code>timeseries.csv</code>, <code>summary.json</code>, <code>samples-*.jsonl</code> (server telemetry), <code>client-metrics.csv</code>, <code>run.json</code> (every setting), <code>scenario.yaml</code>, and each chart as SVG. Regenerate with <code>./run-lab.sh report ")
            .Append(E(h.RunId)).Append("</code>.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><td>").Append(E(key)).Append("</td><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
