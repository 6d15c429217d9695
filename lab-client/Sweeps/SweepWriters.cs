using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lab.Client.Recording;
using Lab.Client.Reports;

namespace Lab.Client.Sweeps;

/// <summary>
/// The sweep's report files in its folder: <c>sweep.md</c> (the recommendation and the tables), <c>sweep.html</c>
/// (the same with charts of each metric against the swept values), <c>sweep.csv</c> (one row per cell, variant and
/// repetition: every summary metric, for a spreadsheet or a notebook) and <c>sweep-report.json</c>.
/// </summary>
public static partial class SweepWriters
{
    public static void WriteAll(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var charts = SweepCharts.Write(report);
        Write(report.Folder, "sweep.md", Markdown(report, charts));
        Write(report.Folder, "sweep.html", Html(report, charts));
        Write(report.Folder, "sweep.csv", Csv(report));
        Write(report.Folder, "sweep-report.json", JsonSerializer.Serialize(report, RunManifest.Json));
    }

    private static void Write(string folder, string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static string F(double v) => RunReport.Format(v);

    private static string Evaluated(string expression, IReadOnlyDictionary<string, double> parameters)
    {
        try
        {
            var value = Checks.CheckExpression.ParseArithmetic(expression).Evaluate(Checks.ExpressionValues.ParametersOnly(parameters));
            return double.IsFinite(value) ? F(value) + (expression.Trim() == F(value) ? "" : $" ({expression.Trim()})") : expression;
        }
        catch (FormatException)
        {
            return expression;
        }
    }

    private static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>A metric's median for display: shares as percentages, with the range when repetitions differ.</summary>
    public static string Value(MetricSpread? s, string metric)
    {
        if (s is null || s.N == 0) return "n/a";
        var share = metric.StartsWith("share.", StringComparison.Ordinal);
        string One(double v) => share ? Pct(v) : F(v);
        return s.N > 1 && s.Max > s.Min ? $"{One(s.Median)} ({One(s.Min)}–{One(s.Max)})" : One(s.Median);
    }

    public static IEnumerable<string> Lines(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Sweep;
        var cells = report.Cells;
        var measured = cells.Count(c => c.Measured);
        var invalid = cells.Count(c => c.Status == SweepRunner.Invalid);
        var elapsed = s.EndedUtc is { } end ? $", {(end - s.StartedUtc).TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min" : "";
        yield return $"Status: {(report.Complete ? "complete" : "INCOMPLETE")} — {measured} of {cells.Count - invalid} cells measured{(invalid > 0 ? $", {invalid} invalid" : "")}, {s.Repeat} repetition{(s.Repeat == 1 ? "" : "s")} each{elapsed}.";
        if (!report.Complete)
        {
            yield return $"Resume: ./run-lab.sh sweep {s.ScenarioFile} --out {report.Folder} (the same sweep into the same folder continues it), or ./run-lab.sh sweep --resume {report.Folder}; complete cells are kept, the rest run.";
        }

        yield return "Grid: " + string.Join("; ", report.Axes.Select(a => $"{a.Name}{(a.IsKnob ? " (server knob)" : "")} ∈ {{{string.Join(", ", a.Values)}}}"))
            + (s.Spec.Zip.Count > 0 ? " — moving together: " + string.Join("; ", s.Spec.Zip.Select(g => string.Join(" with ", g))) : "") + ".";
        if (s.Overrides.Count > 0) yield return "Overrides: " + string.Join(", ", s.Overrides.Select(o => $"{o.Key}={o.Value}")) + ".";
        if (s.Scale != 1) yield return $"Phase durations scaled by {s.Scale.ToString(CultureInfo.InvariantCulture)}.";
        if (report.Objective is { } o)
        {
            yield return $"Objective: {(o.Maximize ? "maximise" : "minimise")} {o.Metric} of variant {report.JudgedVariant}"
                + (o.Constraints.Count > 0 ? $", subject to {string.Join(", ", o.Constraints)} (on the medians, and in every repetition)." : ".");
        }

        if (report.ModelSpec is { } m)
        {
            var delay = Evaluated(m.DelayMs, s.BaseParameters);
            var calls = Evaluated(m.Calls, s.BaseParameters);
            yield return $"Model: {m.Style} endpoint, backend delay {delay} ms × {calls} call{(calls == "1" ? "" : "s")} (at the base values; a swept delay moves it); "
                + $"{(s.Calibration is { } c ? "injection rate " + c.Source : "threads not modelled (awaiting holds none while it waits)")}.";
        }
    }

    private static string Markdown(SweepReport report, IReadOnlyList<SweepChart> charts)
    {
        var md = new StringBuilder();
        md.Append("# Sweep — ").Append(report.Sweep.Scenario).Append("\n\n").Append(report.Description.Trim()).Append("\n\n");
        foreach (var line in Lines(report)) md.Append(line).Append("  \n");
        md.Append('\n');
        foreach (var c in report.Cells.Where(c => c.Status is SweepRunner.Incomplete or SweepRunner.Interrupted))
        {
            md.Append("> **").Append(c.Id).Append(' ').Append(c.Status).Append(":** ").Append(c.Reason ?? "").Append('\n');
        }

        foreach (var c in report.Cells.Where(c => c.ClientLimited.Count > 0))
        {
            md.Append("> **").Append(c.Id).Append(" client-limited (").AppendJoin(", ", c.ClientLimited).Append("):** the client sent late; its numbers understate what the server could do (see the cell's report).\n");
        }

        md.Append("\n## Recommendation\n\n").Append(RecommendationText(report)).Append("\n\n");
        md.Append("## Cells (").Append(report.JudgedVariant).Append(")\n\n");
        var metrics = report.Metrics.ToList();
        md.Append("| cell | values | status | feasible | ").AppendJoin(" | ", metrics).Append(" |\n|---|---|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", metrics.Count))).Append('\n');
        foreach (var c in report.Cells)
        {
            var v = c.Variants.GetValueOrDefault(report.JudgedVariant);
            md.Append("| ").Append(CellLink(c)).Append(report.Frontier.Contains(c.Id) ? " ◆" : "").Append(" | ").Append(c.Label).Append(" | ").Append(c.Status)
                .Append(" | ").Append(c.Measured && report.Objective is not null ? (c.Feasible ? "yes" : "no") + $" ({c.FeasibleRepetitions}/{c.Repetitions})" : "")
                .Append(" | ").AppendJoin(" | ", metrics.Select(x => Value(v?.GetValueOrDefault(x), x))).Append(" |\n");
        }

        md.Append("\n◆ on the frontier: no other cell has both higher throughput and lower p99 with timeouts.\n");
        foreach (var c in report.Cells.Where(c => c.Status == SweepRunner.Invalid)) md.Append('\n').Append(c.Id).Append(" not run: ").Append(c.Reason);
        var others = report.Cells.SelectMany(c => c.Variants.Keys).Distinct().Where(v => v != report.JudgedVariant).ToList();
        foreach (var variant in others)
        {
            md.Append("\n\n### Variant ").Append(variant).Append("\n\n| cell | values | ").AppendJoin(" | ", SweepReport.KeyMetrics).Append(" |\n|---|---|")
                .Append(string.Concat(Enumerable.Repeat("---:|", SweepReport.KeyMetrics.Count))).Append('\n');
            foreach (var c in report.Cells.Where(c => c.Variants.ContainsKey(variant)))
            {
                md.Append("| ").Append(CellLink(c)).Append(" | ").Append(c.Label).Append(" | ").AppendJoin(" | ", SweepReport.KeyMetrics.Select(x => Value(c.Variants[variant].GetValueOrDefault(x), x))).Append(" |\n");
            }
        }

        md.Append("\n\n## Model against measurement\n\n").Append(ModelMarkdown(report));
        if (charts.Count > 0)
        {
            md.Append("\n## Charts\n\n");
            foreach (var chart in charts) md.Append("![").Append(chart.Title).Append("](").Append(chart.File).Append(")  \n").Append(chart.Caption).Append("\n\n");
        }

        md.Append("\n## Files\n\n`sweep.json` (plan and progress; run the sweep again with `--out` this folder, or `--resume` this folder, to resume), `sweep.csv` (every metric per cell, variant and repetition; `model.*` the prediction and `modelError.*` the cell's model error on its medians, on the judged variant's rows), ")
            .Append("`sweep-report.json`, `cells/cell-NN/<run>/` (each cell's full run: report.html, requests.csv, samples)")
            .Append(report.Sweep.Calibration?.Run is { } cal ? $", `{cal}` (the calibration run)" : "").Append(".\n");
        return md.ToString();
    }

    private static string Html(SweepReport report, IReadOnlyList<SweepChart> charts)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var h = new StringBuilder();
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sweep — ").Append(E(report.Sweep.Scenario)).Append("</title><style>")
            .Append("body{font:14px system-ui,sans-serif;margin:24px;max-width:1400px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 6px}")
            .Append("td.num{text-align:right;font-variant-numeric:tabular-nums}tr.best{background:#e6f4ea}.bad{color:#a50e0e}.note{background:#fef7e0;padding:6px}img{max-width:100%}")
            .Append("</style></head><body>\n<h1>Sweep — ").Append(E(report.Sweep.Scenario)).Append("</h1><p>").Append(E(report.Description.Trim())).Append("</p>\n<p>");
        foreach (var line in Lines(report)) h.Append(E(line)).Append("<br>");
        h.Append("</p>\n");
        foreach (var c in report.Cells.Where(c => c.Status is SweepRunner.Incomplete or SweepRunner.Interrupted))
        {
            h.Append("<p class=\"note\"><b>").Append(E(c.Id)).Append(' ').Append(E(c.Status)).Append(":</b> ").Append(E(c.Reason ?? "")).Append("</p>\n");
        }

        foreach (var c in report.Cells.Where(c => c.ClientLimited.Count > 0))
        {
            h.Append("<p class=\"note\"><b>").Append(E(c.Id)).Append(" client-limited (").Append(E(string.Join(", ", c.ClientLimited))).Append("):</b> the client sent late; its numbers understate what the server could do.</p>\n");
        }

        h.Append("<h2>Recommendation</h2><p>").Append(E(RecommendationText(report)).Replace("**", "", StringComparison.Ordinal)).Append("</p>\n");
        foreach (var chart in charts)
        {
            h.Append("<figure id=\"").Append(E(chart.Id)).Append("\">").Append(chart.Svg).Append("<figcaption>").Append(E(chart.Caption))
                .Append(" <a href=\"").Append(E(chart.File)).Append("\">PNG</a></figcaption></figure>\n");
        }
        var metrics = report.Metrics.ToList();
        h.Append("<h2>Cells (").Append(E(report.JudgedVariant)).Append(")</h2><table><tr><th>cell</th><th>values</th><th>status</th><th>feasible</th>");
        foreach (var m in metrics) h.Append("<th>").Append(E(m)).Append("</th>");
        h.Append("</tr>\n");
        foreach (var c in report.Cells)
        {
            var v = c.Variants.GetValueOrDefault(report.JudgedVariant);
            var link = c.Run is null ? E(c.Id) : $"<a href=\"{E(c.Run.Replace('\\', '/'))}/report.html\">{E(c.Id)}</a>";
            h.Append(report.Recommendation?.Id == c.Id ? "<tr class=\"best\">" : "<tr>").Append("<td>").Append(link).Append(report.Frontier.Contains(c.Id) ? " ◆" : "")
                .Append("</td><td>").Append(E(c.Label)).Append("</td><td").Append(c.Measured || c.Status == SweepRunner.Pending ? ">" : " class=\"bad\">").Append(E(c.Status))
                .Append("</td><td>").Append(c.Measured && report.Objective is not null ? (c.Feasible ? "yes" : "no") + $" ({c.FeasibleRepetitions}/{c.Repetitions})" : "").Append("</td>");
            foreach (var m in metrics) h.Append("<td class=\"num\">").Append(E(Value(v?.GetValueOrDefault(m), m))).Append("</td>");
            h.Append("</tr>\n");
        }

        h.Append("</table><p>◆ on the frontier: no other cell has both higher throughput and lower p99 with timeouts.</p>\n");
        h.Append("<h2>Model against measurement</h2>\n").Append(ModelHtml(report));
        h.Append("<p>Files: sweep.json, sweep.csv, sweep-report.json, sweep.md; each cell's run under cells/.</p></body></html>\n");
        return h.ToString();
    }

    /// <summary>One row per cell, variant and repetition, with every summary metric (the union of their names, sorted).</summary>
    private static string Csv(SweepReport report)
    {
        var rows = new List<(SweepCellResult Cell, string Variant, int Repetition, string Status, IReadOnlyDictionary<string, double> Metrics)>();
        foreach (var c in report.Cells.Where(c => c.Run is not null))
        {
            try
            {
                foreach (var v in RunReport.Build(Path.Combine(report.Folder, c.Run!)).Variants)
                {
                    foreach (var r in v.Runs) rows.Add((c, v.Name, r.Summary.Repetition, r.Summary.Status, r.Summary.Metrics));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException)
            {
                rows.Add((c, "", 0, $"unreadable: {ex.Message}", new Dictionary<string, double>()));
            }
        }

        var keys = rows.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var csv = new StringBuilder();
        csv.Append("cell,").AppendJoin(',', report.Axes.Select(a => Quote(a.Name))).Append(",variant,repetition,status,").AppendJoin(',', keys.Select(Quote));
        if (report.Cells.Any(c => c.Model is not null)) csv.Append(',').AppendJoin(',', ModelCsvHeader().Select(Quote));
        csv.Append('\n');
        foreach (var (cell, variant, rep, status, metrics) in rows)
        {
            csv.Append(cell.Id).Append(',').AppendJoin(',', report.Axes.Select(a => Quote(cell.Values.FirstOrDefault(v => v.Name == a.Name)?.Value ?? "")))
                .Append(',').Append(Quote(variant)).Append(',').Append(rep.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(status)).Append(',')
                .AppendJoin(',', keys.Select(k => metrics.TryGetValue(k, out var x) && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : ""));
            if (report.Cells.Any(c => c.Model is not null))
            {
                csv.Append(',').AppendJoin(',', ModelCsvValues(report, cell, variant));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>"[cell-01](cells/cell-01/&lt;run&gt;/report.html)", or the bare id when the cell has no run yet.</summary>
    private static string CellLink(SweepCellResult c) =>
        c.Run is null ? c.Id : $"[{c.Id}]({string.Join('/', c.Run.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString))}/report.html)";

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;
}
