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
    /// Its stability is the others' "k/N" over the pairs: in how many of the N ways of leaving one pair out the
    /// verdict stays the same (from three pairs on), so one odd repetition shows as instability, as it does elsewhere.
    /// </summary>
    public static PairedResult? Paired(PairedComparison spec, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(report);
        var baseline = report.Variants.FirstOrDefault(v => v.Name == spec.Baseline);
        var treatment = report.Variants.FirstOrDefault(v => v.Name == spec.Treatment);
        if (baseline is null || treatment is null) return null;
        var pairs = new List<(int Repetition, double Change)>();
        foreach (var b in baseline.Runs.Where(r => r.Summary.Complete))
        {
            var t = treatment.Runs.FirstOrDefault(r => r.Summary.Repetition == b.Summary.Repetition && r.Summary.Complete);
            var (x, y) = (b.Summary[spec.Metric], t?.Summary[spec.Metric] ?? double.NaN);
            if (!double.IsFinite(x) || !double.IsFinite(y) || x == 0) continue;
            pairs.Add((b.Summary.Repetition, (spec.HigherIsBetter ? y - x : x - y) / Math.Abs(x)));
        }

        if (pairs.Count < 2)
        {
            return new PairedResult(Verdicts.Inconclusive,
                $"{pairs.Count} complete pair(s) of {spec.Baseline} and {spec.Treatment}: a paired comparison needs at least 2 (run with --repeat 5 or more)", null, null, null);
        }

        var changes = pairs.Select(p => p.Change).ToList();
        var (mean, low, high) = Interval(changes);
        var verdict = Decide(low, high, spec.Margin);
        var effect = $"{spec.Treatment} vs {spec.Baseline}, {spec.Metric}: {Pct(mean)} (95 % CI {Pct(low)} to {Pct(high)}, {changes.Count} interleaved pairs; positive = {spec.Treatment} better)";
        var reading = verdict == Verdicts.Reproduced ? $"an overhead measured: {spec.Treatment} did worse than {spec.Baseline}, the 95 % CI lies below 0"
            : verdict == Verdicts.NotReproduced ? $"a benefit measured: {spec.Treatment} did better than {spec.Baseline}, the 95 % CI lies above {Pct(spec.Margin)}"
            : low > 0 ? $"a benefit measured, but not clearly above the {Pct(spec.Margin)} that counts against the claim: the 95 % CI starts at {Pct(low)}"
            : "no measurable difference: the 95 % CI spans 0";
        if (pairs.Count < 3) return new PairedResult(verdict, effect, reading, null, null);

        var leftOut = pairs.Select((p, i) =>
        {
            var (_, l, h) = Interval([.. changes.Where((_, j) => j != i)]);
            return (p.Repetition, Verdict: Decide(l, h, spec.Margin));
        }).ToList();
        var same = leftOut.Count(x => x.Verdict == verdict);
        var unstable = same == leftOut.Count ? null
            : "unstable: " + string.Join(", ", leftOut.Where(x => x.Verdict != verdict).Select(x => $"without repetition {x.Repetition} {x.Verdict}"));
        return new PairedResult(verdict, effect, reading, $"{same}/{leftOut.Count}", unstable);
    }

    /// <summary>
    /// An overhead measured (the interval below 0) reproduces the claim; a benefit beyond the margin (the interval above
    /// it) refutes it; anything between is the claim with a qualification, said in words by the caller.
    /// </summary>
    private static string Decide(double low, double high, double margin) => high < 0 ? Verdicts.Reproduced : low > margin ? Verdicts.NotReproduced : Verdicts.Qualified;

    /// <summary>The mean and its 95 % interval (Student's t with n − 1 degrees of freedom).</summary>
    private static (double Mean, double Low, double High) Interval(List<double> values)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(c => (c - mean) * (c - mean)) / (values.Count - 1));
        var half = StudentT.InvCDF(0, 1, values.Count - 1, 0.975) * sd / Math.Sqrt(values.Count);
        return (mean, mean - half, mean + half);
    }

    private static string Pct(double v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";
}

/// <summary>
/// What a paired comparison found: the verdict, the effect size with its interval, what it means in words
/// (null when there were too few pairs to say), and its stability over the pairs (null below three).
/// </summary>
public sealed record PairedResult(string Verdict, string Effect, string? Reading, string? Stability, string? Unstable);
