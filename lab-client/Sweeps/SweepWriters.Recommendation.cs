using System.Text;

namespace Lab.Client.Sweeps;

/// <summary>The recommendation in words: the pick, its rule, margins, neighbours, stability, and the model's view of other workloads.</summary>
public static partial class SweepWriters
{
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

        if (report.Cells.FirstOrDefault(c => c.Id == r.Id)?.Model is { } model && (model.AtDoubleRate is not null || model.AtDoubleDelay is not null))
        {
            text.Append(" What the model predicts for this setting on other workloads:");
            if (model.AtDoubleRate is { } rate) text.Append(" at twice the arrival rate, ").Append(Prediction(rate, r.HoldsAtDoubleRate, r.BreaksAtDoubleRate, o.Constraints.Count > 0)).Append('.');
            if (model.AtDoubleDelay is { } delay) text.Append(" At twice the backend delay, ").Append(Prediction(delay, r.HoldsAtDoubleDelay, r.BreaksAtDoubleDelay, o.Constraints.Count > 0)).Append('.');
        }

        if (r.RunnerUp is { } ru) text.Append(" Next best: ").Append(ru).Append('.');
        return text.ToString();
    }

    /// <summary>"goodput 150/s, p99 620 ms (900 ms counting timeouts), 503s 0 %, timeouts 2 %: the constraints still hold".</summary>
    private static string Prediction(IReadOnlyDictionary<string, double> p, bool? holds, IReadOnlyList<string> broken, bool constrained)
    {
        double Get(string m) => p.GetValueOrDefault(m, double.NaN);
        var (p99, withTimeouts, timeouts) = (Get("latency.p99"), Get("latencyWithTimeouts.p99"), Get("share.timeout"));
        var text = new StringBuilder($"goodput {F(Get("throughput.mean"))}/s, p99 {F(p99)} ms");
        if (double.IsFinite(withTimeouts) && F(withTimeouts) != F(p99)) text.Append($" ({F(withTimeouts)} ms counting timeouts)");
        text.Append($", 503s {Pct(Get("share.503"))}");
        if (double.IsFinite(timeouts) && timeouts > 0) text.Append($", timeouts {Pct(timeouts)}");
        return text.Append(holds switch
        {
            true => ": the constraints still hold",
            false => $": breaks {string.Join(" and ", broken)}",
            null when constrained => " (the constraints name metrics the model does not predict: not judged)",
            null => "",
        }).ToString();
    }
}
