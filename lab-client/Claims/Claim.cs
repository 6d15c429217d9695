namespace Lab.Client.Claims;

/// <summary>
/// A claim of the source documents, in one place: its id, what the source says (in the lab's words, with the
/// source's numbers), where it says it, the scenario that tests it, the micro-benchmarks that bear on it and
/// how its verdict is computed (<see cref="WhereThreadsWait"/>: a claim about where blocked threads wait, whose row
/// links each run's stack snapshot chart beside its key chart). The claims report, the claims catalogue (docs/claims.md), the scenario
/// validator and the benchmark index all read it from here.
/// </summary>
public sealed record Claim(
    string Id,
    string Title,
    IReadOnlyList<SourceDocument> Sources,
    string Says,
    string? Scenario,
    IReadOnlyList<string> Benchmarks,
    VerdictRule Rule = VerdictRule.EffectChecks,
    string? NotApplicable = null,
    PairedComparison? Paired = null,
    bool WhereThreadsWait = false)
{
    public string SourceIds => string.Join(", ", Sources.Select(s => s.Id));
}

/// <summary>
/// For <see cref="VerdictRule.PairedNoBenefit"/>: which metric of which two variants to pair repetition by
/// repetition. The effect is (treatment − baseline) / baseline per pair, positive when the treatment is better.
/// <paramref name="Margin"/> is the smallest benefit that counts against the claim: a treatment must be better by
/// more than this (the whole 95 % interval above it) before the claim is "not reproduced". It is a judgement, not a
/// measurement: fresh server processes on one shared 2-core VM differed by up to about 8 % in CPU-bound throughput
/// with nothing changed (docs/measurement.md), so a smaller benefit says more about the machine than about async.
/// </summary>
public sealed record PairedComparison(string Baseline, string Treatment, string Metric, bool HigherIsBetter, double Margin = 0.05);
