using System.Globalization;
using System.Net;
using System.Text;

namespace Lab.Client.Sweeps;

/// <summary>The model against the measurement: per cell, measured and predicted with the error; per sweep, the error's median and worst.</summary>
public static partial class SweepWriters
{
    /// <summary>What the model assumes, said where it misses: the measurement shows which assumption broke.</summary>
    public const string ModelAssumptions =
        "The model serves requests in arrival order, gives a blocking request one pool thread for exactly the backend's delay, "
        + "and needs no thread for anything else; a real server also needs pool threads to read requests, write answers and open "
        + "backend connections, and under starvation those wait in the same queue — a measured queue or timeouts above the prediction "
        + "point there. Open that cell's report to see it second by second.";

    public static string ModelText(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.ModelSpec is null) return "The sweep has no model: section, so nothing was predicted.";
        if (report.Fit.Count == 0) return "The model predicted the cells (below), but no cell with a prediction was measured yet, or the load is closed-model (the model needs an open schedule).";
        var text = FitSummary(report);
        if (report.Misses.Count == 0) return text + $" No cell missed by more than {Pct(SweepReport.MissRelative)}.";
        text += $" Largest misses (over {Pct(SweepReport.MissRelative)}): {string.Join("; ", report.Misses.Take(5).Select(m => $"{m.Cell} ({m.Label}) {m.Metric} measured {Show(m.Measured, m.Metric)} against {Show(m.Predicted, m.Metric)} predicted ({ModelError.Format(m.Error)}) — {m.Context}"))}.";
        return text + " " + ModelAssumptions;
    }

    /// <summary>"Model error over 6 measured cells, median size (worst, where): throughput.mean 3 % (worst −12 % in cell-01, n=8); …"; empty without a fit.</summary>
    public static string FitSummary(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Fit.Count == 0) return "";
        return $"Model error over {report.Fit.Max(f => f.Cells)} measured cell{(report.Fit.Max(f => f.Cells) == 1 ? "" : "s")}, median size (worst, where): "
            + string.Join("; ", report.Fit.Select(f => $"{f.Metric} {Pct(f.MedianError)} (worst {ModelError.Format(f.WorstError)} in {f.WorstCell}, {f.WorstLabel})")) + ".";
    }

    private static string Show(double v, string metric) => ModelError.IsShare(metric) ? Pct(v) : F(v);

    private static string Measured(SweepReport report, SweepCellResult c, string metric) =>
        c.Measured ? Value(c.Variants.GetValueOrDefault(report.JudgedVariant)?.GetValueOrDefault(metric), metric) : "—";

    private static string Predicted(SweepCellResult c, string metric) => Show(c.Model!.Predicted.GetValueOrDefault(metric, double.NaN), metric);

    private static string ErrorOf(SweepCellResult c, string metric) =>
        c.ModelErrorOf(metric) is { } e ? ModelError.Format(e.Error) : "—";

    private static string ModelMarkdown(SweepReport report)
    {
        var md = new StringBuilder(ModelText(report)).Append('\n');
        if (report.Fit.Count > 0)
        {
            md.Append("\n| metric | cells | median error (size) | worst error | worst cell |\n|---|---:|---:|---:|---|\n");
            foreach (var f in report.Fit) md.Append($"| {f.Metric} | {f.Cells} | {Pct(f.MedianError)} | {ModelError.Format(f.WorstError)} | {f.WorstCell} ({f.WorstLabel}) |\n");
        }

        if (!report.Cells.Any(c => c.Model is not null)) return md.ToString();
        var metrics = SweepReport.ModelMetrics;
        md.Append("\n| cell | values | ").AppendJoin(" | ", metrics.Select(m => $"{m} measured / model | {m} error")).Append(" |\n|---|---|")
            .Append(string.Concat(Enumerable.Repeat("---:|---:|", metrics.Count))).Append('\n');
        foreach (var c in report.Cells.Where(c => c.Model is not null))
        {
            md.Append("| ").Append(c.Id).Append(" | ").Append(c.Label).Append(" | ")
                .AppendJoin(" | ", metrics.Select(m => $"{Measured(report, c, m)} / {Predicted(c, m)} | {ErrorOf(c, m)}")).Append(" |\n");
        }

        return md.Append('\n').Append(ModelError.Rule).Append('\n').ToString();
    }

    private static string ModelHtml(SweepReport report)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var h = new StringBuilder("<p>").Append(E(ModelText(report))).Append("</p>\n");
        if (report.Fit.Count > 0)
        {
            h.Append("<table><tr><th>metric</th><th>cells</th><th>median error (size)</th><th>worst error</th><th>worst cell</th></tr>\n");
            foreach (var f in report.Fit)
            {
                h.Append("<tr><td>").Append(E(f.Metric)).Append("</td><td class=\"num\">").Append(f.Cells.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"num\">").Append(E(Pct(f.MedianError))).Append("</td><td class=\"num\">").Append(E(ModelError.Format(f.WorstError)))
                    .Append("</td><td>").Append(E($"{f.WorstCell} ({f.WorstLabel})")).Append("</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        if (!report.Cells.Any(c => c.Model is not null)) return h.ToString();
        h.Append("<table><tr><th>cell</th><th>values</th>");
        foreach (var m in SweepReport.ModelMetrics) h.Append("<th>").Append(E(m)).Append("<br>measured / model</th><th>").Append(E(m)).Append("<br>error</th>");
        h.Append("</tr>\n");
        foreach (var c in report.Cells.Where(c => c.Model is not null))
        {
            h.Append("<tr><td>").Append(E(c.Id)).Append("</td><td>").Append(E(c.Label)).Append("</td>");
            foreach (var m in SweepReport.ModelMetrics)
            {
                h.Append("<td class=\"num\">").Append(E($"{Measured(report, c, m)} / {Predicted(c, m)}")).Append("</td><td class=\"num\">").Append(E(ErrorOf(c, m))).Append("</td>");
            }

            h.Append("</tr>\n");
        }

        return h.Append("</table>\n<p>").Append(E(ModelError.Rule)).Append("</p>\n").ToString();
    }

    /// <summary>The CSV's model columns: the prediction, and the cell's error (on its medians, the same in each repetition's row).</summary>
    private static IEnumerable<string> ModelCsvHeader() =>
        SweepReport.ModelMetrics.Select(m => "model." + m).Concat(SweepReport.ModelMetrics.Select(m => "modelError." + m));

    private static IEnumerable<string> ModelCsvValues(SweepReport report, SweepCellResult cell, string variant)
    {
        static string R(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
        var judged = variant == report.JudgedVariant;
        return SweepReport.ModelMetrics.Select(m => judged && cell.Model?.Predicted.TryGetValue(m, out var p) == true ? R(p) : "")
            .Concat(SweepReport.ModelMetrics.Select(m => judged && cell.ModelErrorOf(m) is { } e ? R(e.Error) : ""));
    }
}
