using System.Globalization;
using Lab.Client.Reports;
using SP = ScottPlot;

namespace Lab.Client.Sweeps;

/// <summary>A chart of a sweep: its id, title, caption, and the files written (relative to the sweep folder).</summary>
public sealed record SweepChart(string Id, string Title, string Caption)
{
    public string File => Id + ".png";

    public string Svg { get; init; } = "";
}

/// <summary>
/// The sweep's charts, drawn with ScottPlot (<see cref="ChartRenderer.NewPlot"/>): for one swept dimension, each key
/// metric against the swept values as a line of medians with the repetitions' range as a band and the model's
/// prediction dashed; for two, a heatmap per metric with the value in each cell; for more, one line per
/// dimension through the recommended cell. Plus the frontier of goodput against tail latency over every cell.
/// </summary>
public static class SweepCharts
{
    /// <summary>Metric, what the axis says, whether it is a share (drawn in %), and whether the model predicts it.</summary>
    private static readonly (string Metric, string Label, bool Share, bool Modelled)[] s_metrics =
    [
        ("throughput.mean", "goodput (2xx/s over the time taken)", false, true),
        ("latency.p99", "p99 of answered requests (ms)", false, true),
        ("share.timeout", "client timeouts (% of scheduled)", true, true),
        ("share.503", "HTTP 503 (% of scheduled)", true, true),
        ("threads.max", "pool threads, max", false, true),
        ("memory.rssMax", "server RSS, max (MB)", false, false),
    ];

    public static IReadOnlyList<SweepChart> Write(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var measured = report.Cells.Where(c => c.Measured || c.Model is not null).ToList();
        if (measured.Count == 0 || report.Axes.Count == 0) return [];
        var dimensions = Dimensions(report);
        var charts = new List<SweepChart>();
        if (dimensions.Count == 2)
        {
            foreach (var m in s_metrics) charts.Add(Heatmap(report, dimensions, m));
        }
        else
        {
            foreach (var d in dimensions)
            {
                foreach (var m in s_metrics) charts.Add(Lines(report, dimensions, d, m));
            }
        }

        charts.Add(Frontier(report));
        return charts;
    }

    /// <summary>A dimension of the grid: one axis, or a zipped group moving together (named by its first axis).</summary>
    private sealed record Dimension(string Name, IReadOnlyList<string> Labels, IReadOnlyList<SweepAxis> Axes)
    {
        public int Position(SweepCellResult cell) =>
            Axes[0].Values.ToList().IndexOf(cell.Values.First(v => v.Name == Axes[0].Name).Value);
    }

    private static List<Dimension> Dimensions(SweepReport report)
    {
        var zip = report.Sweep.Spec.Zip;
        var dims = new List<Dimension>();
        foreach (var a in report.Axes)
        {
            var group = zip.FirstOrDefault(g => g.Contains(a.Name));
            if (group is not null && group[0] != a.Name) continue;
            var axes = group is null ? [a] : group.Select(n => report.Axes.First(x => x.Name == n)).ToList();
            var labels = Enumerable.Range(0, a.Values.Count).Select(i => string.Join(" / ", axes.Select(x => x.Values[i]))).ToList();
            dims.Add(new Dimension(string.Join(" / ", axes.Select(x => x.Name)), labels, axes));
        }

        return dims;
    }

    private static double Scale(bool share) => share ? 100 : 1;

    private static SweepChart Lines(SweepReport report, List<Dimension> dims, Dimension dim, (string Metric, string Label, bool Share, bool Modelled) m)
    {
        // With several dimensions, a slice through the recommended cell (or the first measured): the others held there.
        var anchor = report.Cells.FirstOrDefault(c => c.Id == report.Recommendation?.Id) ?? report.Cells.First(c => c.Measured || c.Model is not null);
        var others = dims.Where(d => d != dim).ToList();
        var cells = report.Cells.Where(c => others.All(o => o.Position(c) == o.Position(anchor))).OrderBy(dim.Position).ToList();
        var plot = ChartRenderer.NewPlot();
        var v = report.JudgedVariant;
        var k = Scale(m.Share);
        var xs = new List<double>();
        var med = new List<double>();
        var lo = new List<double>();
        var hi = new List<double>();
        foreach (var c in cells.Where(c => c.Measured))
        {
            var s = c.Variants.GetValueOrDefault(v)?.GetValueOrDefault(m.Metric);
            if (s is null || !double.IsFinite(s.Median)) continue;
            xs.Add(dim.Position(c));
            med.Add(s.Median * k);
            lo.Add(s.Min * k);
            hi.Add(s.Max * k);
        }

        const string color = "#1f77b4";
        if (xs.Count > 0 && lo.Zip(hi).Any(p => p.Second > p.First))
        {
            var band = plot.Add.FillY(xs.ToArray(), lo.ToArray(), hi.ToArray());
            band.FillColor = SP.Color.FromHex(color).WithAlpha(0.2);
            band.LineWidth = 0;
            band.LegendText = $"range over {report.Sweep.Repeat} repetitions";
        }

        if (xs.Count > 0)
        {
            var line = plot.Add.Scatter(xs.ToArray(), med.ToArray(), SP.Color.FromHex(color));
            line.LineWidth = 2.5f;
            line.MarkerSize = 8;
            line.LegendText = report.Sweep.Repeat > 1 ? "measured (median)" : "measured";
        }

        if (m.Modelled)
        {
            var model = cells.Where(c => c.Model?.Predicted.TryGetValue(m.Metric, out var p) == true && double.IsFinite(p))
                .Select(c => ((double)dim.Position(c), c.Model!.Predicted[m.Metric] * k)).ToList();
            if (model.Count > 0)
            {
                var line = plot.Add.Scatter(model.Select(p => p.Item1).ToArray(), model.Select(p => p.Item2).ToArray(), SP.Color.FromHex("#d62728"));
                line.LinePattern = SP.LinePattern.Dashed;
                line.LineWidth = 1.8f;
                line.MarkerShape = SP.MarkerShape.OpenCircle;
                line.MarkerSize = 7;
                line.LegendText = "model (predicted before the run)";
            }
        }

        if (report.Recommendation is { } r && cells.FirstOrDefault(c => c.Id == r.Id) is { } best)
        {
            var mark = plot.Add.VerticalLine(dim.Position(best), 1.5f, SP.Color.FromHex("#2ca02c"), SP.LinePattern.Dotted);
            mark.LegendText = $"recommended ({r.Id})";
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, dim.Labels.Count).Select(i => (double)i)], [.. dim.Labels]);
        plot.Axes.SetLimitsX(-0.5, dim.Labels.Count - 0.5);
        var top = med.Concat(hi).Concat(cells.Select(c => (c.Model?.Predicted.GetValueOrDefault(m.Metric, double.NaN) ?? double.NaN) * k)).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, top <= 0 ? 1 : top * 1.1);
        var id = $"sweep-{Slug(dim.Name)}-{Slug(m.Metric)}";
        var title = $"{m.Label} against {dim.Name}";
        var held = others.Count == 0 ? "" : $" Other knobs held at {string.Join(", ", others.Select(o => $"{o.Name} = {o.Labels[o.Position(anchor)]}"))}.";
        var caption = $"Variant {v}; one point per cell.{held}";
        plot.Title(title, 14);
        plot.XLabel(dim.Name, 12);
        plot.YLabel(m.Label, 12);
        plot.ShowLegend(SP.Edge.Right);
        return Store(report, plot, id, title, caption);
    }

    private static SweepChart Heatmap(SweepReport report, List<Dimension> dims, (string Metric, string Label, bool Share, bool Modelled) m)
    {
        var (dx, dy) = (dims[0], dims[1]);
        var k = Scale(m.Share);
        var values = new double[dy.Labels.Count, dx.Labels.Count];
        for (var y = 0; y < dy.Labels.Count; y++)
        {
            for (var x = 0; x < dx.Labels.Count; x++) values[y, x] = double.NaN;
        }

        var plot = ChartRenderer.NewPlot();
        foreach (var c in report.Cells.Where(c => c.Measured))
        {
            var s = c.Variants.GetValueOrDefault(report.JudgedVariant)?.GetValueOrDefault(m.Metric);
            if (s is null || !double.IsFinite(s.Median)) continue;
            // Rows from the top: the first value of the second dimension at the top.
            values[dy.Labels.Count - 1 - dy.Position(c), dx.Position(c)] = s.Median * k;
        }

        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new SP.Colormaps.Viridis();
        heat.NaNCellColor = SP.Color.FromHex("#eeeeee");
        foreach (var c in report.Cells)
        {
            var s = c.Measured ? c.Variants.GetValueOrDefault(report.JudgedVariant)?.GetValueOrDefault(m.Metric) : null;
            var predicted = c.Model?.Predicted.GetValueOrDefault(m.Metric, double.NaN) ?? double.NaN;
            var text = (s is null || !double.IsFinite(s.Median) ? c.Status : Show(s.Median * k, m.Share))
                + (m.Modelled && double.IsFinite(predicted) ? $"\n(model {Show(predicted * k, m.Share)})" : "")
                + (report.Recommendation?.Id == c.Id ? "\n★ recommended" : "");
            var label = plot.Add.Text(text, dx.Position(c), dy.Position(c));
            label.Alignment = SP.Alignment.MiddleCenter;
            label.LabelFontSize = 11;
            label.LabelFontColor = SP.Color.FromHex("#111111");
            label.LabelBackgroundColor = SP.Color.FromHex("#ffffff").WithAlpha(0.7);
        }

        plot.Add.ColorBar(heat);
        heat.Rectangle = new SP.CoordinateRect(-0.5, dx.Labels.Count - 0.5, -0.5, dy.Labels.Count - 0.5);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, dx.Labels.Count).Select(i => (double)i)], [.. dx.Labels]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, dy.Labels.Count).Select(i => (double)i)], [.. dy.Labels]);
        plot.Axes.SetLimits(-0.5, dx.Labels.Count - 0.5, -0.5, dy.Labels.Count - 0.5);
        var id = $"sweep-heatmap-{Slug(m.Metric)}";
        var title = $"{m.Label}: {dx.Name} × {dy.Name}";
        plot.Title(title, 14);
        plot.XLabel(dx.Name, 12);
        plot.YLabel(dy.Name, 12);
        return Store(report, plot, id, title, $"Variant {report.JudgedVariant}; the median in each cell, the model's prediction under it.");
    }

    private static SweepChart Frontier(SweepReport report)
    {
        var plot = ChartRenderer.NewPlot();
        var v = report.JudgedVariant;
        var points = report.Cells.Where(c => c.Measured)
            .Select(c => (Cell: c, X: c.Metric(v, "latencyWithTimeouts.p99"), Y: c.Metric(v, "throughput.mean")))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count > 0)
        {
            var all = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), SP.Color.FromHex("#7f7f7f"));
            all.MarkerSize = 8;
            all.LegendText = "cells";
            var front = points.Where(p => report.Frontier.Contains(p.Cell.Id)).OrderBy(p => p.X).ToList();
            if (front.Count > 0)
            {
                var line = plot.Add.Scatter(front.Select(p => p.X).ToArray(), front.Select(p => p.Y).ToArray(), SP.Color.FromHex("#1f77b4"));
                line.LineWidth = 2;
                line.MarkerSize = 10;
                line.LegendText = "frontier";
            }

            foreach (var p in points)
            {
                var label = plot.Add.Text(p.Cell.Id + (report.Recommendation?.Id == p.Cell.Id ? " ★" : ""), p.X, p.Y);
                label.LabelFontSize = 10;
                label.OffsetX = 6;
                label.OffsetY = -6;
            }

            plot.Axes.SetLimits(0, points.Max(p => p.X) * 1.15, 0, points.Max(p => p.Y) * 1.15);
        }

        const string title = "goodput against p99 with timeouts, every cell";
        plot.Title(title, 14);
        plot.XLabel("p99 with timeouts counted at the timeout (ms)", 12);
        plot.YLabel("goodput (2xx/s)", 12);
        plot.ShowLegend(SP.Edge.Right);
        return Store(report, plot, "sweep-frontier", title, $"Variant {v}. Up and left is better; the frontier joins the cells no other cell beats on both.");
    }

    private static SweepChart Store(SweepReport report, SP.Plot plot, string id, string title, string caption)
    {
        var (svg, png) = ChartRenderer.Render(plot, id, title);
        File.WriteAllBytes(Path.Combine(report.Folder, id + ".png"), png);
        File.WriteAllText(Path.Combine(report.Folder, id + ".svg"), svg);
        return new SweepChart(id, title, caption) { Svg = svg };
    }

    private static string Show(double v, bool share) => share ? v.ToString("0.#", CultureInfo.InvariantCulture) + "%" : RunReport.Format(v);

    private static string Slug(string s) => new([.. s.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-')]);
}
