using System.Globalization;

namespace Lab.Client.ClientBench;

/// <summary>One of the client's headroom goals (lab-client/README.md, capacity), judged on a sitting's numbers: met, not met, or not judged (no data).</summary>
public sealed record GoalVerdict(string Goal, bool? Met, string Measured);

/// <summary>The client's capacity goals as data, and their verdicts with the numbers put in (words are templates over what ran).</summary>
public static class BenchGoals
{
    public const double LagP99Ms = 1;
    public const double LowestRatePerS = 100;
    public const double HighestRatePerS = 16_000;

    /// <summary>"The first second looks like the rest": its p99 at most this many times the rest's.</summary>
    public const double FirstSecondRatio = 1.25;

    public static IReadOnlyList<GoalVerdict> Judge(ClientBenchReport report, double compareRatePerS)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [Lag(report), Cpu(report, compareRatePerS), ColdStart(report)];
    }

    private static GoalVerdict Lag(ClientBenchReport report)
    {
        var goal = F($"dispatch lag p99 ≤ {LagP99Ms:0.#} ms with no drops at every rate from {LowestRatePerS:#,0}/s to {HighestRatePerS:#,0}/s");
        var rows = report.Rows.Where(r => r.Tool == "lab-client" && r.TargetPerS is >= LowestRatePerS and <= HighestRatePerS).ToList();
        if (rows.Count == 0) return new GoalVerdict(goal, null, "no client row in that range ran");
        var failing = rows.Where(r => r.LagP99Ms is not { } p || p > LagP99Ms || r.Dropped > 0).ToList();
        var worst = rows.OrderByDescending(r => r.LagP99Ms ?? double.MaxValue).First();
        return failing.Count == 0
            ? new GoalVerdict(goal, true, F($"met at all {rows.Count} rates; the worst p99 was {worst.LagP99Ms:0.###} ms at {worst.TargetPerS:#,0}/s"))
            : new GoalVerdict(goal, false, "not met at " + string.Join("; ", failing.Select(r => F($"{r.TargetPerS:#,0}/s (p99 {Ms(r.LagP99Ms)}, {r.Dropped:#,0} dropped)")))
                + F($"; met at {rows.Count - failing.Count} of {rows.Count} rates"));
    }

    private static GoalVerdict Cpu(ClientBenchReport report, double rate)
    {
        var goal = F($"client CPU per request no more than hey's at {rate:#,0}/s");
        var client = report.Rows.FirstOrDefault(r => r.Tool == "lab-client" && r.TargetPerS == rate);
        var hey = report.Rows.FirstOrDefault(r => r.Tool.StartsWith("hey", StringComparison.Ordinal) && r.TargetPerS == rate);
        if (client is null || hey is null || double.IsNaN(client.CpuMsPer1k) || double.IsNaN(hey.CpuMsPer1k))
        {
            return new GoalVerdict(goal, null, client is null ? F($"no client row at {rate:#,0}/s") : F($"no hey row at {rate:#,0}/s (hey not installed: {ToolRows.InstallHint})"));
        }

        var text = F($"lab-client {client.CpuMsPer1k:0.#} ms per 1,000 requests against hey's {hey.CpuMsPer1k:0.#} ms ({client.CpuMsPer1k / hey.CpuMsPer1k:0.00}×)");
        return new GoalVerdict(goal, client.CpuMsPer1k <= hey.CpuMsPer1k, text);
    }

    private static GoalVerdict ColdStart(ClientBenchReport report)
    {
        var goal = F($"a closed run's first second looks like the rest (its p99 ≤ {FirstSecondRatio:0.##}× the rest's)");
        if (report.Closed.Count == 0) return new GoalVerdict(goal, null, "no closed-model row ran");
        var rows = report.Closed.Select(c => F($"{c.Setup}: first second p99 {c.FirstSecondP99Ms:0.#} ms against {c.RestP99Ms:0.#} ms after ({c.Ratio:0.00}×)"));
        var cold = report.Closed[0];
        return new GoalVerdict(goal, cold.Ratio <= FirstSecondRatio, string.Join("; ", rows));
    }

    private static string Ms(double? ms) => ms is { } v ? F($"{v:0.###} ms") : "n/a";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
