using Lab.Client.Bench;
using Lab.Client.Reports;
using Lab.Client.Scenarios;

namespace Lab.Client.Claims;

/// <summary>
/// The claims report of a suite: one row per claim of the catalogue — what the source says (from the catalogue),
/// what the lab measured (the scenario's template filled with this run's medians), and a verdict computed by the
/// claim's rule, repetition by repetition, with its stability.
/// </summary>
public static class ClaimsReport
{
    /// <param name="runs">The suite's scenarios and their reports.</param>
    /// <param name="suiteFolder">Where claims.md is written; links are relative to it.</param>
    /// <param name="benchIndex">The newest <c>bench.md</c> (BenchmarkDotNet tables), linked from the claims it bears on; null for none.</param>
    /// <param name="notReached">Scenarios of the suite that never ran because it was interrupted first; their claims say so.</param>
    public static IReadOnlyList<ClaimRow> Rows(IReadOnlyList<(Scenario Scenario, RunReport Report)> runs, string suiteFolder, string? benchIndex = null,
        IReadOnlyCollection<Scenario>? notReached = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<ClaimRow>();
        foreach (var claim in ClaimCatalog.All)
        {
            var bench = Benchmarks(claim, suiteFolder, benchIndex);
            var says = $"{claim.Says} [{claim.SourceIds}]";
            if (claim.NotApplicable is { } why)
            {
                rows.Add(new ClaimRow(claim, Verdicts.NotApplicable, says, why, [], [], []));
                continue;
            }

            var mine = runs.Where(r => r.Scenario.Claims.Contains(claim.Id)).ToList();
            if (mine.Count == 0 && notReached?.FirstOrDefault(s => s.Claims.Contains(claim.Id)) is { } skipped)
            {
                rows.Add(new ClaimRow(claim, Verdicts.NotRun, says, $"the suite was interrupted before {skipped.Name} ran", [], [], [], null, bench));
                continue;
            }

            if (mine.Count == 0)
            {
                rows.Add(new ClaimRow(claim, Verdicts.NotRun, says, "no scenario of this suite tests it (see --all)", [], [], [], null, bench));
                continue;
            }

            var verdicts = mine.SelectMany(r => r.Report.Verdicts.Where(v => v.Claim is null || v.Claim == claim.Id)).ToList();
            var effects = verdicts.Where(v => v.Qualifies is null && !v.Control).ToList();
            var controls = verdicts.Where(v => v.Control).ToList();
            var qualifiers = verdicts.Where(v => v.Qualifies is not null).ToList();
            var qualifications = mine.SelectMany(r => r.Report.Verdicts
                    .Where(v => (v.Claim is null || v.Claim == claim.Id) && v.Qualifies is not null && v.Passed)
                    .Select(v => r.Report.Fill(v.Qualifies!)))
                .ToList();
            var failed = effects.Where(v => v.Outcome != CheckOutcome.Passed)
                .Select(v => $"{v.Expression} [{v.Problem ?? v.Substituted}]{(v.Repetitions > 1 ? $" held {v.Stability}" : "")}").ToList();
            var repetitions = mine.Max(r => r.Report.Repetitions);
            var perRepetition = Enumerable.Range(1, repetitions).Select(rep => ClaimJudge.FromChecks(effects, qualifiers, rep, controls)).ToList();
            failed.AddRange(controls.Where(v => v.Outcome != CheckOutcome.Passed).Select(v => $"control {v.Expression} [{v.Problem ?? v.Substituted}]"));
            var (verdict, stability, unstable) = ClaimJudge.OverRepetitions(perRepetition);
            string? effect = null;
            if (claim.Rule == VerdictRule.PairedNoBenefit && claim.Paired is { } spec && mine.Select(r => ClaimJudge.Paired(spec, r.Report)).FirstOrDefault(p => p is not null) is { } paired)
            {
                (verdict, effect, stability, unstable) = (paired.Verdict, paired.Effect, paired.Stability, paired.Unstable);
                if (paired.Reading is { } reading && paired.Verdict == Verdicts.Qualified) qualifications.Insert(0, reading);
                else if (paired.Reading is { } said) effect += ": " + said;

                // The experiment's own conditions, as for every claim: without them the comparison says nothing.
                if (controls.Any(c => c.Outcome != CheckOutcome.Passed))
                {
                    (verdict, stability, unstable) = (Verdicts.Inconclusive, null, null);
                    qualifications.Clear();
                }
            }
            else if (mine.Any(r => !r.Report.Run.Complete) && verdict != Verdicts.Inconclusive && effects.All(e => e.Judged == 0))
            {
                verdict = Verdicts.Inconclusive;
            }

            var measured = string.Join(" ", mine.Select(r => r.Scenario.Evidence.TryGetValue(claim.Id, out var e) ? r.Report.Fill(e.Measured) : "").Where(t => t.Length > 0));
            var reports = mine.Select(r => (r.Scenario.Name, Path.GetRelativePath(suiteFolder, Path.Combine(r.Report.Run.Folder, "report.html")))).ToList();
            var charts = mine.Where(r => r.Scenario.Evidence.ContainsKey(claim.Id))
                .Select(r => Path.GetRelativePath(suiteFolder, Path.Combine(r.Report.Run.Folder, r.Scenario.Evidence[claim.Id].Chart + ".png"))).ToList();

            // Where the blocked threads waited: the run's stack snapshot chart, when a variant's stall was snapshotted.
            if (claim.WhereThreadsWait)
            {
                charts.AddRange(mine.Where(r => r.Report.Variants.Any(v => ChartSet.Representative(v).Data.Stacks is not null))
                    .Select(r => Path.GetRelativePath(suiteFolder, Path.Combine(r.Report.Run.Folder, StacksChart + ".png"))));
            }

            rows.Add(new ClaimRow(claim, verdict, says, measured, qualifications, failed, reports, charts, bench)
            {
                Stability = stability,
                Unstable = unstable,
                Effect = effect,
                WallTimeS = WallTime(mine.Select(r => r.Report)),
            });
        }

        return rows;
    }

    /// <summary>Seconds from each run's start to its end, summed (run.json's timestamps); null when a run has no end.</summary>
    public static double? WallTime(IEnumerable<RunReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        double total = 0;
        foreach (var m in reports.Select(r => r.Run.Manifest))
        {
            if (m.EndedUtc is not { } ended) return null;
            total += (ended - m.StartedUtc).TotalSeconds;
        }

        return total;
    }

    /// <summary>The id of a run's "where the threads were" chart (<see cref="ChartSet.Stacks"/>).</summary>
    public const string StacksChart = ChartSet.StacksId;

    /// <summary>Links to the benchmark page, one per benchmark class that bears on the claim (as <c>bench.md#class</c>).</summary>
    private static List<string> Benchmarks(Claim claim, string suiteFolder, string? benchIndex)
    {
        if (benchIndex is null) return [];
        var relative = Path.GetRelativePath(suiteFolder, benchIndex).Replace('\\', '/');
        return [.. claim.Benchmarks.Select(c => $"{relative}#{c.ToLowerInvariant()}")];
    }
}
