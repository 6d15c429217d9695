using System.Globalization;
using System.Net;
using System.Text;
using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// Two runs side by side, crank-style: for each variant both have, each key metric in A and B and the
/// change in percent; and the key time series overlaid (A solid, B dashed, one colour per variant).
/// For tuning: change a limit, re-run, compare.
/// </summary>
public sealed record Comparison(RunReport A, RunReport B)
{
    public static readonly (string Label, string Metric)[] Metrics =
    [
        ("goodput (2xx/s)", "throughput.mean"),
        ("latency p50, answered (ms)", "latency.p50"),
        ("latency p99, answered (ms)", "latency.p99"),
        ("latency p99.9, answered (ms)", "latency.p999"),
        ("2xx", "count.ok"),
        ("503", "count.503"),
        ("timeouts", "count.timeout"),
        ("dropped", "count.dropped"),
        ("pool threads max", "threads.max"),
        ("injection (threads/s)", "injection.rate"),
        ("pool queue max (load)", "queue.max"),
        ("pool queue max (drain)", "drain.queue.max"),
        ("outstanding max (load)", "outstanding.max"),
        ("limiter queue max", "limiterQueue.max"),
        ("RSS max (MB)", "memory.rssMax"),
        ("private max (MB)", "memory.privateMax"),
        ("recovery (s)", "recovery.s"),
        ("client lag p99 (ms)", "lag.p99"),
    ];

    public IReadOnlyList<string> SharedVariants =>
        [.. A.Variants.Select(v => v.Name).Intersect(B.Variants.Select(v => v.Name), StringComparer.Ordinal)];

    public static string Delta(double a, double b) =>
        !double.IsFinite(a) || !double.IsFinite(b) ? "–"
        : a == 0 ? (b == 0 ? "0 %" : "new")
        : ((b - a) / Math.Abs(a) * 100).ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture) + " %";

    public IReadOnlyList<(string Variant, string Label, double A, double B, string Delta)> Rows() =>
        [.. from name in SharedVariants
            let a = A.Variants.Single(v => v.Name == name)
            let b = B.Variants.Single(v => v.Name == name)
            from m in Metrics
            select (name, m.Label, a.Median(m.Metric), b.Median(m.Metric), Delta(a.Median(m.Metric), b.Median(m.Metric)))];

    public IReadOnlyList<ChartSpec> Charts()
    {
        var names = SharedVariants;
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var timeline = ChartSet.Timeline.Of(A.Variants);

        // B dashed, thinner and lighter on top of A: where a change changed nothing, B runs inside A instead of hiding it.
        ChartSpec Chart(string id, string title, string y, Func<IntervalRow, double?> f, bool log = false) => timeline.Apply(new(
            id, title, "time since load start (s)", y,
            [.. names.SelectMany(n => new[]
            {
                new Series($"{n} A", Points(A, n, f), Palette.Variant(index[n])) { Width = 3.4 },
                new Series($"{n} B", Points(B, n, f), Palette.Secondary(Palette.Variant(index[n])), LineStyle.Dashed) { Width = 1.6 },
            })], timeline.Bands, LogY: log, Caption: "solid: run A; dashed: run B; phases and drain as in run A."));
        return
        [
            Chart("compare-throughput", "Goodput (2xx per second)", "requests/s", i => i.PerS(i.Ok)),
            Chart("compare-latency", "Latency p99 of answered requests, from the intended send time", "ms (log scale)", i => i.LatencyP99Ms, log: true),
            Chart("compare-threads", "Thread-pool threads (server)", "threads", i => i.PoolThreads),
            Chart("compare-queue", "Thread-pool queue (server)", "items", i => i.PoolQueue),
            Chart("compare-outstanding", "Requests outstanding at the client", "requests", i => i.Outstanding),
            Chart("compare-rejected", "503 per second", "responses/s", i => i.PerS(i.Rejected503)),
            Chart("compare-memory", "Resident memory (server)", "MB", i => i.RssMb),
        ];
    }

    private static IReadOnlyList<(double, double)> Points(RunReport r, string name, Func<IntervalRow, double?> f) =>
        [.. ChartSet.Representative(r.Variants.Single(v => v.Name == name)).Intervals.Select(i => (i.MidS, f(i) ?? double.NaN))];

    public string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# Comparison\n\n- **A**: `").Append(Path.GetFileName(A.Run.Folder)).Append("`\n- **B**: `").Append(Path.GetFileName(B.Run.Folder)).Append("`\n\n");
        var onlyA = A.Variants.Select(v => v.Name).Except(SharedVariants).ToList();
        var onlyB = B.Variants.Select(v => v.Name).Except(SharedVariants).ToList();
        if (onlyA.Count + onlyB.Count > 0) md.Append("Not compared (in one run only): ").AppendJoin(", ", onlyA.Concat(onlyB)).Append("\n\n");
        md.Append("| variant | metric | A | B | change |\n|---|---|---:|---:|---:|\n");
        foreach (var r in Rows())
        {
            md.Append("| ").Append(r.Variant).Append(" | ").Append(r.Label).Append(" | ").Append(RunReport.Format(r.A)).Append(" | ")
                .Append(RunReport.Format(r.B)).Append(" | ").Append(r.Delta).Append(" |\n");
        }

        md.Append('\n');
        // SVG, not PNG: `compare` writes SVG files only until it writes its charts through ChartFiles.
        foreach (var c in Charts()) md.Append("![").Append(c.Title).Append("](").Append(c.Id).Append(".png)\n\n");
        return md.ToString();
    }

    public string Html(IReadOnlyDictionary<string, string> svgs)
    {
        ArgumentNullException.ThrowIfNull(svgs);
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Comparison — thread-starvation lab</title><style>")
            .Append("body{font-family:\"Segoe UI\",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#222}table{border-collapse:collapse;font-size:13px}")
            .Append("td,th{border:1px solid #ddd;padding:3px 8px}td.num{text-align:right}svg.chart{max-width:100%;height:auto;border:1px solid #eee;display:block}</style></head><body>\n");
        html.Append("<h1>Comparison</h1><p><b>A</b>: ").Append(WebUtility.HtmlEncode(Path.GetFileName(A.Run.Folder))).Append("<br><b>B</b>: ")
            .Append(WebUtility.HtmlEncode(Path.GetFileName(B.Run.Folder))).Append("</p>\n<table><tr><th>variant</th><th>metric</th><th>A</th><th>B</th><th>change</th></tr>\n");
        foreach (var r in Rows())
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(r.Variant)).Append("</td><td>").Append(WebUtility.HtmlEncode(r.Label)).Append("</td><td class=\"num\">")
                .Append(RunReport.Format(r.A)).Append("</td><td class=\"num\">").Append(RunReport.Format(r.B)).Append("</td><td class=\"num\">").Append(r.Delta).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var c in Charts())
        {
            // Isolated again in case the caller passed ScottPlot's raw output: ids must not repeat across charts.
            var svg = svgs[c.Id].Contains("class=\"chart\"", StringComparison.Ordinal) ? svgs[c.Id] : ChartRenderer.Isolate(svgs[c.Id], c.Id, c.Title);
            html.Append("<figure id=\"").Append(WebUtility.HtmlEncode(c.Id)).Append("\">").Append(svg).Append("</figure>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }
}
