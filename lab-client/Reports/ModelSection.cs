using System.Globalization;
using System.Net;
using System.Text;
using Lab.Client.Sweeps;

namespace Lab.Client.Reports;

/// <summary>One row of the model table: a metric measured, predicted, and the error (<see cref="ModelError"/>'s rule).</summary>
public sealed record ModelRow(string Metric, double Measured, double Predicted, double Error)
{
    public bool Share => ModelError.IsShare(Metric);
}

/// <summary>The queueing model's prediction for one variant that declares <c>model:</c>, and what it was given.</summary>
public sealed record VariantModel(string Variant, int Index, string Style, double DelayMs, double InjectionPerS, string InjectionSource, ModelPrediction Predicted, IReadOnlyList<ModelRow> Rows);

/// <summary>
/// The model beside the measurement in a run's report (C1, C2, C8 declare <c>model:</c> on their variants): the
/// same first-principles model a sweep uses (<see cref="QueueModel"/>), fed the run's own schedule, knobs and
/// timeout. A blocking variant's injection rate is the one measured in that same run (a measured constant of the
/// runtime here, not a fit), so what the model adds is the queueing: the backlog, the latency and the goodput that
/// follow from it.
/// </summary>
public static class ModelSection
{
    public static IReadOnlyList<VariantModel> For(RunReport report, double? bucketS = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var scenario = report.Run.Scenario;
        var models = new List<VariantModel>();
        foreach (var v in report.Variants)
        {
            var resolved = scenario.Variants.FirstOrDefault(x => x.Name == v.Name);
            if (resolved?.Model is not { } spec) continue;
            var parameters = scenario.ParameterValues;
            // The model draws the pool over the whole run, so it takes the growth over the whole run (load and drain).
            var measuredRate = v.Median("run.injection.rate");
            var (injection, source) = spec.Style == "awaiting" ? (0.0, "not needed: an awaiting request holds no thread while it waits")
                : double.IsFinite(measuredRate) && measuredRate > 0 ? (measuredRate, string.Create(CultureInfo.InvariantCulture, $"{measuredRate:0.##} threads/s, measured in this run"))
                : (SweepRunner.Assumed.For(spec.Style), SweepRunner.Assumed.Source);
            var input = QueueModelInputs.For(resolved.Load.ToProfile(), resolved.Knobs, parameters, scenario.Client.TimeoutS, scenario.Client.Seed, spec, injection);
            if (input is null) continue;
            // The pool already had the threads the warm-up left (4 where the minimum is 2): the model starts there.
            if (v.Median("threads.start") is var start && double.IsFinite(start) && start > input.MinThreads) input = input with { MinThreads = (int)start };
            var predicted = QueueModel.Predict(input, bucketS);
            var rows = SweepReport.ModelMetrics
                .Select(m => (Metric: m, Measured: v.Median(m), Predicted: predicted.Metrics[m]))
                .Where(r => double.IsFinite(r.Predicted))
                .Select(r => new ModelRow(r.Metric, r.Measured, r.Predicted, ModelError.Of(r.Metric, r.Predicted, r.Measured)))
                .ToList();
            models.Add(new VariantModel(v.Name, v.Index, spec.Style, spec.Delay(parameters) * spec.CallsPerRequest(parameters), injection, source, predicted, rows));
        }

        return models;
    }

    /// <summary>Measured (solid) against predicted (dashed) 2xx/s per interval, and pool threads for blocking variants.</summary>
    public static IEnumerable<ChartSpec> Charts(RunReport report, IReadOnlyList<VariantModel> models, ChartSet.Timeline t)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(t);
        if (models.Count == 0) yield break;
        var series = new List<Series>();
        foreach (var m in models)
        {
            var v = report.Variants.First(x => x.Name == m.Variant);
            var color = Palette.Variant(m.Index);
            series.Add(new Series($"{m.Variant} measured", [.. ChartSet.Representative(v).Intervals.Select(i => (i.MidS, (double)i.PerS(i.Ok)))], color) { Width = Palette.Width(m.Index) });
            series.Add(new Series($"{m.Variant} model", [.. m.Predicted.Series.Select(p => (p.MidS, p.OkPerS))], Palette.Secondary(color), LineStyle.Dashed) { Width = Palette.SecondaryWidth(m.Index) });
        }

        yield return t.Apply(new ChartSpec("model-throughput", "2xx per second: measured against the queueing model", ChartSet.Time, "2xx/s", series, t.Bands,
            Caption: $"solid: measured; dashed: the model, given this run's schedule, knobs and timeout; {t.PerSecond}."));

        var blocking = models.Where(m => m.Style != "awaiting").ToList();
        if (blocking.Count == 0) yield break;
        var threads = new List<Series>();
        foreach (var m in blocking)
        {
            var v = report.Variants.First(x => x.Name == m.Variant);
            var color = Palette.Variant(m.Index);
            threads.Add(new Series($"{m.Variant} measured", [.. ChartSet.Representative(v).Intervals.Select(i => (i.MidS, i.PoolThreads ?? double.NaN))], color) { Width = Palette.Width(m.Index) });
            threads.Add(new Series($"{m.Variant} model", [.. m.Predicted.Series.Select(p => (p.MidS, p.Threads))], Palette.Secondary(color), LineStyle.Dashed) { Width = Palette.SecondaryWidth(m.Index) });
        }

        yield return t.Apply(new ChartSpec("model-threads", "Pool threads: measured against the queueing model", ChartSet.Time, "threads", threads, t.Bands,
            Caption: "solid: measured; dashed: the model's pool, from its minimum at the injection rate while work waits (the rate measured in this run)."));
    }

    private static string Value(double v, bool share) =>
        !share ? RunReport.Format(v) : double.IsFinite(v) ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "n/a";

    private static string ErrorText(ModelRow r) => ModelError.Format(r.Error);

    private static string Given(VariantModel m) => string.Create(CultureInfo.InvariantCulture,
        $"{m.Variant}: {m.Style}, {m.DelayMs:0.##} ms per request; injection {m.InjectionSource}");

    public static string Markdown(IReadOnlyList<VariantModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) return "";
        var md = new StringBuilder("## The model beside the measurement\n\n");
        md.Append(string.Join("  \n", models.Select(Given))).Append("\n\n| variant | metric | measured | model | model error |\n|---|---|---:|---:|---:|\n");
        foreach (var m in models)
        {
            foreach (var r in m.Rows) md.Append("| ").Append(m.Variant).Append(" | ").Append(r.Metric).Append(" | ").Append(Value(r.Measured, r.Share)).Append(" | ").Append(Value(r.Predicted, r.Share)).Append(" | ").Append(ErrorText(r)).Append(" |\n");
        }

        return md.Append('\n').Append(ModelError.Rule).Append("  \n").Append(SweepWriters.ModelAssumptions).Append("\n\n").ToString();
    }

    public static string Html(IReadOnlyList<VariantModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) return "";
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<h2 id=\"model\">The model beside the measurement</h2>\n<p class=\"meta\">");
        html.Append(string.Join("<br>", models.Select(m => E(Given(m))))).Append("</p>\n<table class=\"grid\"><tr><th>variant</th><th>metric</th><th>measured</th><th>model</th><th>model error</th></tr>\n");
        foreach (var m in models)
        {
            foreach (var r in m.Rows)
            {
                html.Append("<tr><td>").Append(E(m.Variant)).Append("</td><td>").Append(E(r.Metric)).Append("</td><td class=\"num\">").Append(E(Value(r.Measured, r.Share)))
                    .Append("</td><td class=\"num\">").Append(E(Value(r.Predicted, r.Share))).Append("</td><td class=\"num\">").Append(E(ErrorText(r))).Append("</td></tr>\n");
            }
        }

        return html.Append("</table>\n<p class=\"meta\">").Append(E(ModelError.Rule)).Append("<br>").Append(E(SweepWriters.ModelAssumptions)).Append("</p>\n").ToString();
    }
}
