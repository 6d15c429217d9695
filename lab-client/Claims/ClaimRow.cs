namespace Lab.Client.Claims;

/// <summary>One row of the claims report, every text either the source's (quoted by the scenario) or filled from measurements.</summary>
public sealed record ClaimRow(
    Claim Claim,
    string Verdict,
    string Says,
    string Measured,
    IReadOnlyList<string> Qualifications,
    IReadOnlyList<string> FailedChecks,
    IReadOnlyList<(string Scenario, string ReportPath)> Reports,
    IReadOnlyList<string>? ChartPaths = null,
    IReadOnlyList<string>? BenchmarkPaths = null);

public static class Verdicts
{
    public const string Reproduced = "reproduced";
    public const string Qualified = "reproduced with qualification";
    public const string NotReproduced = "not reproduced";
    public const string NotApplicable = "not applicable";
    public const string NotRun = "not run";
    public const string Inconclusive = "inconclusive (run incomplete)";
}
