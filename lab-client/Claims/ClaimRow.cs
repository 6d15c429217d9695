namespace Lab.Client.Claims;

/// <summary>
/// One row of the claims report: what the catalogue says the source claims, what this run measured (filled
/// from its numbers), the computed verdict and how stable it was over the repetitions, and links to the
/// evidence. Every text either comes from the catalogue or is filled from measurements.
/// </summary>
public sealed record ClaimRow(
    Claim Claim,
    string Verdict,
    string Says,
    string Measured,
    IReadOnlyList<string> Qualifications,
    IReadOnlyList<string> FailedChecks,
    IReadOnlyList<(string Scenario, string ReportPath)> Reports,
    IReadOnlyList<string>? ChartPaths = null,
    IReadOnlyList<string>? BenchmarkPaths = null)
{
    /// <summary>In how many repetitions the claim got this verdict, of how many ("3/3"); null for a single run.</summary>
    public string? Stability { get; init; }

    /// <summary>When the verdict was not the same in every repetition: which repetition said what.</summary>
    public string? Unstable { get; init; }

    /// <summary>For a paired comparison: the effect size and its interval, in words.</summary>
    public string? Effect { get; init; }

    /// <summary>Wall-clock seconds its scenarios took, every repetition and variant (run.json's start to end); null when one has no end.</summary>
    public double? WallTimeS { get; init; }

    /// <summary>"wall time 53 s" (or "1.5 min"); null when unknown.</summary>
    public string? WallTimeText => WallTimeS is not { } s ? null
        : s < 120 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"wall time {s:0} s")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"wall time {s / 60:0.#} min");

    /// <summary>"reproduced 3/3", "reproduced with qualification 2/3".</summary>
    public string VerdictWithStability => Stability is null ? Verdict : $"{Verdict} {Stability}";
}

public static class Verdicts
{
    public const string Reproduced = "reproduced";
    public const string Qualified = "reproduced with qualification";
    public const string NotReproduced = "not reproduced";
    public const string NotApplicable = "not applicable";
    public const string NotRun = "not run";
    public const string Inconclusive = "inconclusive";

    /// <summary>What each verdict word means, for the legend of the claims report.</summary>
    public static readonly IReadOnlyList<(string Word, string Meaning)> Legend =
    [
        (Reproduced, "every effect check of the claim's scenario held: the effect the source describes happens on .NET 10 too"),
        (Qualified, "the effect happens, but something the source implies differs (a qualification check held, with its numbers), or only some effect checks held"),
        (NotReproduced, "no effect check held: the effect the source describes did not happen here"),
        (Inconclusive, "the scenario did not complete, or a check could not be judged: no verdict either way"),
        (NotRun, "no scenario of this suite tests the claim (the full suite, --all, may), or the suite was interrupted before its scenario ran"),
        (NotApplicable, "the claim is about a platform the lab does not run"),
    ];
}
