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
public static class SweepWriters
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
            yield return $"Resume: ./run-lab.sh sweep --resume {report.Folder} (complete cells are kept; the rest run).";
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
            md.Append("| ").Append(c.Id).Append(report.Frontier.Contains(c.Id) ? " ◆" : "").Append(" | ").Append(c.Label).Append(" | ").Append(c.Status)
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
                md.Append("| ").Append(c.Id).Append(" | ").Append(c.Label).Append(" | ").AppendJoin(" | ", SweepReport.KeyMetrics.Select(x => Value(c.Variants[variant].GetValueOrDefault(x), x))).Append(" |\n");
            }
        }

        md.Append("\n\n## Model against measurement\n\n").Append(ModelText(report)).Append('\n');
        if (report.Cells.Any(c => c.Model is not null))
        {
            md.Append("\n| cell | values | ").AppendJoin(" | ", SweepReport.ModelMetrics.Select(m => $"{m.Metric} measured / model")).Append(" |\n|---|---|")
                .Append(string.Concat(Enumerable.Repeat("---:|", SweepReport.ModelMetrics.Count))).Append('\n');
            foreach (var c in report.Cells.Where(c => c.Model is not null))
            {
                md.Append("| ").Append(c.Id).Append(" | ").Append(c.Label).Append(" | ").AppendJoin(" | ", SweepReport.ModelMetrics.Select(m =>
                {
                    var measuredText = c.Measured ? Value(c.Variants.GetValueOrDefault(report.JudgedVariant)?.GetValueOrDefault(m.Metric), m.Metric) : "—";
                    var predicted = c.Model!.Predicted.GetValueOrDefault(m.Metric, double.NaN);
                    return $"{measuredText} / {(m.Metric.StartsWith("share.", StringComparison.Ordinal) ? Pct(predicted) : F(predicted))}";
                })).Append(" |\n");
            }
        }

        if (charts.Count > 0)
        {
            md.Append("\n## Charts\n\n");
            foreach (var chart in charts) md.Append("![").Append(chart.Title).Append("](").Append(chart.File).Append(")  \n").Append(chart.Caption).Append("\n\n");
        }

        md.Append("\n## Files\n\n`sweep.json` (plan and progress; run the sweep again on this folder to resume), `sweep.csv` (every metric per cell, variant and repetition), ")
            .Append("`sweep-report.json`, `cells/cell-NN/<run>/` (each cell's full run: report.html, requests.csv, samples)")
            .Append(report.Sweep.Calibration?.Run is { } cal ? $", `{cal}` (the calibration run)" : "").Append(".\n");
        return md.ToString();
    }

    /// <summary>The recommendation in words, every number from the report.</summary>
    public static string RecommendationText(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Recommendation is not { } r) return $"None: {report.NoRecommendation}.";
        var o = report.Objective!;
        var text = new StringBuilder();
        text.Append($"**{r.Label}** ({r.Id}): {o.Metric} = {F(r.Objective)}, the {(o.Maximize ? "highest" : "lowest")} among the cells that met every constraint in every repetition ({r.Stability}).");
        if (r.Chosen.Length > 0) text.Append($" Chosen in {r.Chosen} repetitions, each judged on its own.");
        if (r.Tied.Count > 0) text.Append($" Tied within {Pct(SweepReport.TieFraction)} with {string.Join(", ", r.Tied)}; picked for the most room under its tightest constraint.");
        if (r.Constraints.Count > 0)
        {
            text.Append(" Margins: ").AppendJoin("; ", r.Constraints.Select(c => double.IsFinite(c.Slack) ? $"{c.Constraint} at {F(c.Value)} ({Pct(c.Slack)} to spare)" : $"{c.Constraint} held ({F(c.Value)})")).Append('.');
            var tight = r.Constraints.Where(c => double.IsFinite(c.Slack) && c.Slack < 0.1).ToList();
            if (tight.Count > 0) text.Append(" **Tight:** ").AppendJoin(", ", tight.Select(c => c.Constraint)).Append(" has under 10 % to spare: a noisier run or a busier machine may break it.");
        }

        if (r.Neighbours.Count > 0)
        {
            var bad = r.Neighbours.Where(n => n.Measured && !n.Feasible).ToList();
            text.Append(" Neighbours: ").AppendJoin("; ", r.Neighbours.Select(n => $"{n.Changed}: {(!n.Measured ? (n.Status == SweepRunner.Invalid ? "invalid, not run" : "not measured") : n.Feasible ? "also meets the constraints" : "does not")}{(n.Objective is { } v && double.IsFinite(v) ? $" ({o.Metric} {F(v)})" : "")}")).Append('.');
            if (bad.Count > 0) text.Append(" The recommendation sits at an edge of the feasible region: moving ").AppendJoin(" or ", bad.Select(b => b.Changed)).Append(" loses it.");
        }

        if (r.HoldsAtDoubleRate is { } dr || r.HoldsAtDoubleDelay is not null)
        {
            text.Append(" The model predicts the constraints ");
            var parts = new List<string>();
            if (r.HoldsAtDoubleRate is { } rate) parts.Add($"{(rate ? "still hold" : "break")} at twice the arrival rate");
            if (r.HoldsAtDoubleDelay is { } delay) parts.Add($"{(delay ? "still hold" : "break")} at twice the backend delay");
            text.AppendJoin(" and ", parts).Append('.');
        }

        if (r.RunnerUp is { } ru) text.Append(" Next best: ").Append(ru).Append('.');
        return text.ToString();
    }

    public static string ModelText(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ModelSpec is null) return "The sweep has no model: section, so nothing was predicted.";
        if (report.Fit.Count == 0) return "The model predicted the cells (below), but no cell with a prediction was measured yet, or the load is closed-model (the model needs an open schedule).";
        var parts = report.Fit.Select(f => f.Relative
            ? $"{f.Metric} within {Pct(f.MedianError)} at the median (worst {Signed(f.WorstError, true)} in {f.WorstCell})"
            : $"{f.Metric} within {F(f.MedianError * 100)} points at the median (worst {Signed(f.WorstError, false)} in {f.WorstCell})");
        var text = "Predicted before each cell ran, over " + report.Fit.Max(f => f.Cells) + " measured cells: " + string.Join("; ", parts) + ".";
        if (report.Misses.Count == 0) return text + " No cell missed by more than a quarter (or ten points of a share).";
        text += $" Largest misses: {string.Join("; ", report.Misses.Take(5).Select(m => $"{m.Cell} ({m.Label}) {m.Metric} measured {Show(m.Measured, m.Relative)} against {Show(m.Predicted, m.Relative)} predicted — {m.Context}"))}.";
        return text + " " + ModelAssumptions;
    }

    /// <summary>What the model assumes, said where it misses: the measurement shows which assumption broke.</summary>
    public const string ModelAssumptions =
        "The model serves requests in arrival order, gives a blocking request one pool thread for exactly the backend's delay, "
        + "and needs no thread for anything else; a real server also needs pool threads to read requests, write answers and open "
        + "backend connections, and under starvation those wait in the same queue — a measured queue or timeouts above the prediction "
        + "point there. Open that cell's report to see it second by second.";

    private static string Show(double v, bool relative) => relative ? F(v) : Pct(v);

    private static string Signed(double v, bool relative) =>
        (v >= 0 ? "+" : "−") + (relative ? Pct(Math.Abs(v)) : F(Math.Abs(v) * 100) + " points");

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
        h.Append("<h2>Model against measurement</h2><p>").Append(E(ModelText(report))).Append("</p>\n");
        if (report.Cells.Any(c => c.Model is not null))
        {
            h.Append("<table><tr><th>cell</th><th>values</th>");
            foreach (var (m, _) in SweepReport.ModelMetrics) h.Append("<th>").Append(E(m)).Append("<br>measured / model</th>");
            h.Append("</tr>\n");
            foreach (var c in report.Cells.Where(c => c.Model is not null))
            {
                h.Append("<tr><td>").Append(E(c.Id)).Append("</td><td>").Append(E(c.Label)).Append("</td>");
                foreach (var (m, _) in SweepReport.ModelMetrics)
                {
                    var measuredText = c.Measured ? Value(c.Variants.GetValueOrDefault(report.JudgedVariant)?.GetValueOrDefault(m), m) : "—";
                    var predicted = c.Model!.Predicted.GetValueOrDefault(m, double.NaN);
                    h.Append("<td class=\"num\">").Append(E($"{measuredText} / {(m.StartsWith("share.", StringComparison.Ordinal) ? Pct(predicted) : F(predicted))}")).Append("</td>");
                }

                h.Append("</tr>\n");
            }

            h.Append("</table>\n");
        }

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
        if (report.Cells.Any(c => c.Model is not null)) csv.Append(',').AppendJoin(',', SweepReport.ModelMetrics.Select(m => Quote("model." + m.Metric)));
        csv.Append('\n');
        foreach (var (cell, variant, rep, status, metrics) in rows)
        {
            csv.Append(cell.Id).Append(',').AppendJoin(',', report.Axes.Select(a => Quote(cell.Values.FirstOrDefault(v => v.Name == a.Name)?.Value ?? "")))
                .Append(',').Append(Quote(variant)).Append(',').Append(rep.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(status)).Append(',')
                .AppendJoin(',', keys.Select(k => metrics.TryGetValue(k, out var x) && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : ""));
            if (report.Cells.Any(c => c.Model is not null))
            {
                csv.Append(',').AppendJoin(',', SweepReport.ModelMetrics.Select(m => variant == report.JudgedVariant && cell.Model?.Predicted.TryGetValue(m.Metric, out var p) == true && double.IsFinite(p)
                    ? p.ToString("R", CultureInfo.InvariantCulture) : ""));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;
}
