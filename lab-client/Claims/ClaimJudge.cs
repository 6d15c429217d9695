using System.Globalization;
using Lab.Client.Reports;
using MathNet.Numerics.Distributions;

namespace Lab.Client.Claims;

/// <summary>
/// Computes a claim's verdict from its scenario's verdicts, repetition by repetition, so the claims report can
/// say how stable it was: the verdict is the one most repetitions gave, and its stability is in how many.
/// </summary>
public static class ClaimJudge
{
    /// <summary>The verdict of one repetition (or of the medians, <paramref name="repetition"/> = 0) from per-check outcomes.</summary>
    public static string FromChecks(IReadOnlyList<Verdict> effects, IReadOnlyList<Verdict> qualifications, int repetition, IReadOnlyList<Verdict>? controls = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        ArgumentNullException.ThrowIfNull(qualifications);
        bool? Held(Verdict v) => repetition == 0
            ? v.Outcome switch { CheckOutcome.Passed => true, CheckOutcome.Failed => false, _ => null }
            : v.PerRepetition is { } per && repetition <= per.Count ? per[repetition - 1] : null;

        if (effects.Count == 0) return Verdicts.NotRun;
        // The experiment's own conditions first: without them the effects say nothing about the claim.
        if ((controls ?? []).Any(c => Held(c) != true)) return Verdicts.Inconclusive;
        var held = effects.Select(Held).ToList();
        if (held.Any(h => h is null)) return Verdicts.Inconclusive;
        var qualified = qualifications.Any(q => Held(q) == true);
        return held.All(h => h == false) ? Verdicts.NotReproduced
            : held.Any(h => h == false) || qualified ? Verdicts.Qualified
            : Verdicts.Reproduced;
    }

    /// <summary>
    /// The verdict over the repetitions: the most common per-repetition verdict (ties go to the
    /// weaker one), with "k/N" and, when not unanimous, which repetition said what.
    /// </summary>
    public static (string Verdict, string? Stability, string? Unstable) OverRepetitions(IReadOnlyList<string> perRepetition)
    {
        ArgumentNullException.ThrowIfNull(perRepetition);
        if (perRepetition.Count <= 1) return (perRepetition.Count == 0 ? Verdicts.NotRun : perRepetition[0], null, null);
        string[] weakestFirst = [Verdicts.Inconclusive, Verdicts.NotReproduced, Verdicts.Qualified, Verdicts.Reproduced];
        var best = perRepetition.GroupBy(v => v)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => Array.IndexOf(weakestFirst, g.Key))
            .First();
        var stability = $"{best.Count()}/{perRepetition.Count}";
        var unstable = best.Count() == perRepetition.Count ? null
            : "unstable: " + string.Join(", ", perRepetition.Select((v, i) => $"repetition {i + 1} {v}"));
        return (best.Key, stability, unstable);
    }

    /// <summary>
    /// A paired comparison over repetitions (C9): per repetition, the treatment's relative change against the
    /// baseline (positive = better); the mean change and its 95 % interval (Student's t on the pairs). The claim
    /// "no benefit" is reproduced when the interval lies below zero (an overhead measured), qualified when it
    /// spans zero (no measurable difference either way), not reproduced when it lies above (a benefit).
    /// </summary>
    public static (string Verdict, string Effect)? Paired(PairedComparison spec, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(report);
        var baseline = report.Variants.FirstOrDefault(v => v.Name == spec.Baseline);
        var treatment = report.Variants.FirstOrDefault(v => v.Name == spec.Treatment);
        if (baseline is null || treatment is null) return null;
        var changes = new List<double>();
        foreach (var b in baseline.Runs.Where(r => r.Summary.Complete))
        {
            var t = treatment.Runs.FirstOrDefault(r => r.Summary.Repetition == b.Summary.Repetition && r.Summary.Complete);
            var (x, y) = (b.Summary[spec.Metric], t?.Summary[spec.Metric] ?? double.NaN);
            if (!double.IsFinite(x) || !double.IsFinite(y) || x == 0) continue;
            changes.Add((spec.HigherIsBetter ? y - x : x - y) / Math.Abs(x));
        }

        string Pct(double v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";
        if (changes.Count < 2)
        {
            return (Verdicts.Inconclusive, $"{changes.Count} complete pair(s) of {spec.Baseline} and {spec.Treatment}: a paired comparison needs at least 2 (run with --repeat 3 or more)");
        }

        var mean = changes.Average();
        var sd = Math.Sqrt(changes.Sum(c => (c - mean) * (c - mean)) / (changes.Count - 1));
        var half = StudentT.InvCDF(0, 1, changes.Count - 1, 0.975) * sd / Math.Sqrt(changes.Count);
        var (low, high) = (mean - half, mean + half);
        var verdict = high < 0 ? Verdicts.Reproduced : low > 0 ? Verdicts.NotReproduced : Verdicts.Qualified;
        var effect = $"{spec.Treatment} vs {spec.Baseline}, {spec.Metric}: {Pct(mean)} (95 % CI {Pct(low)} to {Pct(high)}, {changes.Count} interleaved pairs; positive = {spec.Treatment} better)";
        return (verdict, effect);
    }
}
