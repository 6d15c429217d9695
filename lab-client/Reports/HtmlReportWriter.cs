using System.Net;
using System.Text;
using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained file — inline CSS and SVG, no scripts, nothing fetched — with
/// what was run and where, the client-bottleneck warning when it applies, the verdicts, the summary per
/// variant and every chart, each in a figure whose id is the chart's (<c>report.html#queues</c>), with its
/// caption and links to its SVG and PNG files.
/// </summary>
public static class HtmlReportWriter
{
    private const string Css = """
        body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#222;line-height:1.4}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta{color:#555;font-size:13px}.meta td{padding:1px 12px 1px 0;vertical-align:top}
        table.grid{border-collapse:collapse;font-size:13px;width:100%}table.grid th,table.grid td{border:1px solid #ddd;padding:4px 8px}
        table.grid th{background:#f5f7fa;text-align:left}table.grid td.num{text-align:right;font-variant-numeric:tabular-nums}
        .pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}.na{color:#666;font-weight:600}
        .warn{background:#fff4e5;border:1px solid #f0b429;padding:8px 12px;margin:12px 0;border-radius:4px}
        .bad{background:#fdecea;border:1px solid #e57373;padding:8px 12px;margin:12px 0;border-radius:4px}
        .status-complete{color:#1a7f37}.status-incomplete,.status-running{color:#c62828}
        figure{margin:16px 0}svg.chart{max-width:100%;height:auto;border:1px solid #eee;display:block}
        figure:target{outline:3px solid #f0b429;outline-offset:4px}figcaption{font-size:13px;color:#555;margin-top:4px}
        .toc{font-size:13px}.toc a{margin-right:10px}
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
        Row(html, "parameters", h.ParameterText);
        Row(html, "repetitions", h.Repetitions == 1 ? "1" : $"{h.Repetitions}, interleaved; every number below is the median over them (min–max)");
        Row(html, "run", $"{h.RunId}: {h.Started} → {h.Ended}");
        Row(html, "machine", h.Machine);
        Row(html, "runtime", h.Runtime);
        Row(html, "commit", h.Commit);
        Row(html, "command", h.CommandLine);
        html.Append("</table>\n");

        foreach (var reason in h.Reasons) html.Append("<div class=\"bad\"><b>Incomplete run:</b> ").Append(E(reason)).Append("</div>\n");
        foreach (var v in report.Variants.Where(v => v.AnyClientLimited))
        {
            html.Append("<div class=\"warn\"><b>Client-limited (").Append(E(v.Name)).Append("):</b> ").Append(E(string.Join("; ", v.ClientLimitedWhy)))
                .Append(". The load client could not keep its schedule, so this variant's numbers understate what the server could do.</div>\n");
        }

        foreach (var v in report.Variants.Where(v => !v.HasTelemetry))
        {
            html.Append("<div class=\"warn\"><b>No telemetry (").Append(E(v.Name))
                .Append("):</b> the target gave no thread-pool samples, so the server-side rows and charts are empty for it.</div>\n");
        }

        html.Append("<h2>Verdicts</h2>\n");
        if (report.Verdicts.Count == 0)
        {
            html.Append("<p>The scenario has no checks.</p>\n");
        }
        else
        {
            html.Append("<table class=\"grid verdicts\"><tr><th>check</th><th>measured").Append(report.Repetitions > 1 ? " (medians)" : "")
                .Append("</th><th>verdict</th>").Append(report.Repetitions > 1 ? "<th>held in</th>" : "").Append("</tr>\n");
            foreach (var v in report.Verdicts)
            {
                var (css, word) = v.Outcome switch
                {
                    CheckOutcome.Passed => ("pass", "pass"),
                    CheckOutcome.Failed => ("fail", "fail"),
                    _ => ("na", "inconclusive"),
                };
                html.Append("<tr><td><code>").Append(E(v.Expression)).Append("</code></td><td>").Append(E(v.Problem ?? v.Substituted)).Append("</td><td class=\"")
                    .Append(css).Append("\">").Append(word).Append("</td>");
                if (report.Repetitions > 1) html.Append("<td class=\"num\">").Append(E(v.Stability)).Append("</td>");
                html.Append("</tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Settings per variant</h2>\n<table class=\"grid settings\"><tr><th></th>");
        foreach (var v in report.Variants) html.Append("<th>").Append(E(v.Name)).Append("</th>");
        html.Append("</tr>\n");
        var settings = report.Variants.Select(v => VariantSettings.Of(v, report)).ToList();
        for (var row = 0; row < (settings.Count == 0 ? 0 : settings[0].Count); row++)
        {
            html.Append("<tr><td>").Append(E(settings[0][row].Label)).Append("</td>");
            foreach (var s in settings) html.Append("<td><code>").Append(E(s[row].Value)).Append("</code></td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
        html.Append("<h2>Summary per variant</h2>\n<table class=\"grid summary\"><tr><th></th>");
        foreach (var v in report.Variants) html.Append("<th>").Append(E(v.Name)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var (label, metric, unit) in SummaryRows.All)
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var v in report.Variants) html.Append("<td class=\"num\">").Append(E(SummaryRows.Cell(v, metric, unit))).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n<p class=\"meta\">").Append(E(Notes(report))).Append("</p>\n");
        html.Append(PoolSection.Html(PoolSection.For(report)));
        html.Append(ModelSection.Html(ModelSection.For(report)));
        html.Append("<h2>Charts</h2>\n<p class=\"toc\">");
        foreach (var c in charts) html.Append("<a href=\"#").Append(E(c.Id)).Append("\">").Append(E(c.Id)).Append("</a>");
        html.Append("</p>\n");
        foreach (var c in charts)
        {
            // The caption is in the chart itself (the PNG travels without the page): the figcaption only links the files.
            html.Append("<figure id=\"").Append(E(c.Id)).Append("\">\n").Append(svgs[c.Id]).Append("<figcaption>");
            html.Append("<a href=\"").Append(E(c.Id)).Append(".png\">PNG</a> · <a href=\"").Append(E(c.Id)).Append(".svg\">SVG</a></figcaption></figure>\n");
        }

        html.Append("<h2>Data</h2>\n<p class=\"meta\">In this folder: <code>requests.csv</code> (every request), <code>timeseries.csv</code>, <code>summary.json</code>, <code>samples-*.jsonl</code> (server telemetry), <code>client-metrics.csv</code>, <code>run.json</code> (every setting), <code>scenario.yaml</code>, and each chart as SVG and PNG; <code>results/README.md</code> describes each file. Regenerate with <code>./run-lab.sh report ")
            .Append(E(h.RunId)).Append("</code>.</p>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>How to read the numbers, filled from what this run has: telemetry or not, repetitions or not.</summary>
    public static string Notes(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = "Latency percentiles are over answered requests, measured from each request's intended send time, so a stall cannot hide (no coordinated omission); a client timeout has no latency, and the cell says how many timed out. Service time is from the actual send. Server-side maxima are over the load window (until the last arrival) unless marked drain.";
        string Of(TelemetrySource source) => string.Join(", ", report.Variants.Where(v => v.TelemetrySource == source).Select(v => v.Name));
        if (Of(TelemetrySource.Sampler) is { Length: > 0 } sampler) text += $" Server figures of {sampler} come from the server's own sampler thread, which starvation cannot starve.";
        if (Of(TelemetrySource.DiagnosticsPort) is { Length: > 0 } port)
        {
            text += $" Server figures of {port} come from the runtime's counters, read through the process's diagnostics port (EventPipe) on a thread of the lab client's own, not from a sampler in the server.";
        }

        if (Of(TelemetrySource.None) is { Length: > 0 } none) text += $" {none}: no telemetry from the target.";
        if (report.Repetitions > 1) text += $" Each cell is the median of {report.Repetitions} repetitions (min–max){(report.Repetitions >= Spread.MinForInterval ? ", with the 95 % confidence interval of the mean" : "")}.";
        return text;
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><td>").Append(E(key)).Append("</td><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
