using Lab.Client.Claims;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// The claim scenarios under a second parameter set, different in every number from the shipped one: the verdicts
/// must be the same as the committed reference run's, and every text must show the values that ran. This is what a
/// user who copies a scenario and changes its numbers relies on: thresholds from the physics, words from the run.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class SecondParameterSetTests
{
    /// <summary>Per scenario: the second set, and a fragment each claim's measured text must then contain.</summary>
    public static readonly IReadOnlyList<(string Scenario, string Claim, string[] Set, string Shows)> Sets =
    [
        ("c1-burst", "C1", ["delayMs=300", "ratePerS=150", "burstS=3", "warmRatePerS=10", "warmS=0.5", "pauseS=1.5", "timeoutS=6"], "150 req/s for 3 s over a 300 ms backend"),
        ("c2-injection", "C2", ["delayMs=400", "ratePerS=50", "burstS=5", "pauseS=1.5", "minThreads=60", "prewarm=60", "timeoutS=12"], "needed about 20 threads"),
        ("c3-queue-503", "C3", ["delayMs=400", "ratePerS=500", "burstS=2", "permits=80", "shortLimit=300", "longLimit=2000", "timeoutS=15"], "With a queue of 300"),
        // sourceStackKb is the source's own 1 MB, a constant of the claim, not of the experiment.
        ("c4-memory-per-thread", "C4", ["threadsPerRequest=150", "totalThreads=1200", "holdMs=12000", "smallStackKb=512", "smallStackBytes=524288"], "with a 512 KB stack"),
        ("c5-low-load", "C5", ["delayMs=300", "ratePerS=3", "durationS=4"], "3 req/s over a 300 ms backend"),
        ("c6-parallel-calls", "C6", ["delayMs=300", "calls=4", "pagesPerS=1.5", "durationS=3"], "4 calls of 300 ms, 1.5 page/s"),
        ("c7-timeout-budget", "C7", ["minDelayMs=250", "maxDelayMs=800", "budgetMs=600", "calls=4", "pagesPerS=4", "durationS=3"], "600 ms budget, 4 calls of 250–800 ms"),
        ("c8-connection-cap", "C8", ["delayMs=250", "ratePerS=80", "burstS=3", "capPerCpu=3", "timeoutS=15"], "With the cap at 3 × CPUs"),
        ("c9-cpu-bound", "C9", ["workUnits=5000", "users=6", "durationS=5"], "5000 units of CPU work per request, 6 users"),
        ("c10-sync-over-async", "C10", ["delayMs=400", "ratePerS=80", "burstS=3", "warmRatePerS=10", "warmS=0.5", "pauseS=1.5", "timeoutS=6"], "80 req/s for 3 s over 400 ms"),
        ("c11-leak", "C11", ["delayMs=80", "ratePerS=15", "durationS=2", "cap=6", "budgetMs=1500"], "With 6 connections"),
        ("c12-apm", "C12", ["delayMs=400", "ratePerS=80", "burstS=2", "timeoutS=6"], "80 req/s for 2 s over 400 ms"),
        ("c13-mixed", "C13", ["delayMs=400", "ratePerS=80", "burstS=4", "slowWeight=2", "fastWeight=3", "timeoutS=6"], "of 64/s offered"),
        ("c14-max-threads", "C14", ["delayMs=400", "ratePerS=50", "burstS=4", "maxThreads=8", "minThreads=60", "timeoutS=12"], "Max 8:"),
        ("c15-begin-setup", "C15", ["setupMs=700", "ratePerS=1.5", "durationS=3"], "With a 700 ms proxy lookup"),
        ("c16-begin-starved", "C16", ["poolThreads=3", "holdMs=1500", "probesPerS=0.5", "durationS=5"], "With all 3 pool threads occupied"),
        ("c17-mix-sync-async", "C17", ["ratePerS=4", "durationS=2"], "of 8 worked"),
        ("c18-503-under-starvation", "C18", ["delayMs=400", "ratePerS=360", "burstS=1.5", "permits=80", "queueLimit=120", "timeoutS=8"], "Of 540 requests"),
    ];

    [Fact]
    public async Task Every_claim_keeps_its_verdict_under_a_second_parameter_set_and_its_text_shows_the_new_values()
    {
        var reference = ClaimsFile.Read(Path.Combine(Processes.Root, "results", "reference", "claims.json"));
        var dir = Processes.NewFolder();
        var args = new List<string> { "suite", "--all", "--out", dir, "--progress", "none" };
        foreach (var (scenario, _, set, _) in Sets)
        {
            foreach (var s in set) args.AddRange(["--set", $"{scenario}:{s}"]);
        }

        using var client = Processes.StartClient([.. args]);
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(15));
        Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");

        var claims = ClaimsFile.Read(Path.Combine(Assert.Single(Directory.GetDirectories(dir)), "claims.json"));
        var problems = new List<string>();
        foreach (var (scenario, id, _, shows) in Sets)
        {
            var row = claims.Claims.Single(c => c.Id == id);
            var expected = reference.Claims.Single(c => c.Id == id).Verdict;
            // C9's verdict is a statistical interval: compare whether it reproduced at all, not the qualification.
            var same = ClaimCatalog.Find(id)!.Rule == VerdictRule.PairedNoBenefit ? Family(row.Verdict) == Family(expected) : row.Verdict == expected;
            if (!same) problems.Add($"{id} ({scenario}): {row.Verdict}, the reference run says {expected}; {string.Join("; ", row.FailedChecks)}");
            if (!row.Measured.Contains(shows, StringComparison.Ordinal)) problems.Add($"{id}: the text does not show the new values (\"{shows}\"): {row.Measured}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string Family(string verdict) => verdict.StartsWith(Verdicts.Reproduced, StringComparison.Ordinal) ? Verdicts.Reproduced : verdict;
}
