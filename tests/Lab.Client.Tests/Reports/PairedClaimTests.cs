using Lab.Client.Analysis;
using Lab.Client.Claims;
using Lab.Client.Reports;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// C9's paired comparison as the claims report gives it: the reading written out, the scenario's controls honoured,
/// and a stability like every other claim's. The fixture's two variants stand in for C9's sync and async, with
/// throughputs set per repetition.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class PairedClaimTests
{
    private static ClaimRow C9(double[] sync, double[] async, string checks = """[{"check": "slow.count.ok == 20", "control": true}]""")
    {
        var built = RunReport.Build(FixtureRun.Create(checks, repetitions: sync.Length, claims: "[C9]"), 1);
        VariantAggregate As(string from, string name, double[] throughput) => built.Variants.Single(v => v.Name == from) with
        {
            Name = name,
            Runs = [.. built.Variants.Single(v => v.Name == from).Runs.Select((r, i) => r with
            {
                Summary = r.Summary with { Metrics = new Dictionary<string, double>(r.Summary.Metrics) { ["throughput.mean"] = throughput[i] } },
            })],
        };
        var report = built with { Variants = [As("slow", "sync", sync), As("fast", "async", async)] };
        var scenario = new Scenario
        {
            Name = "c9-cpu-bound", Description = "", Claims = ["C9"], BackendKnobs = new Dictionary<string, string>(), ServerKnobs = new Dictionary<string, string>(),
            Variants = [], Client = new ClientOptions(), Checks = [], SourcePath = "c9-cpu-bound.yaml", SourceText = "",
            Evidence = new Dictionary<string, ClaimEvidence> { ["C9"] = new("inline {sync.throughput.mean} req/s, Task.Run {async.throughput.mean} req/s") },
        };
        return ClaimsReport.Rows([(scenario, report)], "/tmp").Single(r => r.Claim.Id == "C9");
    }

    [Fact]
    public void No_measurable_difference_is_written_out_as_the_qualification_with_a_stability()
    {
        var row = C9([100, 100, 100, 100, 100], [103, 97, 101, 99, 100]);
        Assert.Equal(Verdicts.Qualified, row.Verdict);
        Assert.Equal(["no measurable difference: the 95 % CI spans 0"], row.Qualifications);
        Assert.Contains("5 interleaved pairs", row.Effect, StringComparison.Ordinal);
        Assert.Equal("5/5", row.Stability);
        Assert.Null(row.Unstable);
        Assert.Equal("inline 100 req/s, Task.Run 100 [97–103] req/s", row.Measured);
    }

    [Fact]
    public void An_overhead_on_every_pair_reproduces_the_claim_and_says_which_way()
    {
        var row = C9([100, 102, 98, 101, 99], [90, 91, 89, 92, 88]);
        Assert.Equal(Verdicts.Reproduced, row.Verdict);
        Assert.Empty(row.Qualifications);
        Assert.EndsWith("an overhead measured: async did worse than sync, the 95 % CI lies below 0", row.Effect, StringComparison.Ordinal);
        Assert.Equal("5/5", row.Stability);
    }

    [Fact]
    public void A_verdict_one_pair_decides_is_called_unstable()
    {
        // Changes −5, −4, −6, −5, +2 %: the interval spans 0 (qualified), but without the fifth pair it lies below
        // 0 (reproduced); leaving out any other keeps it across 0. Stable in 4 of the 5 ways of leaving one out.
        var row = C9([100, 100, 100, 100, 100], [95, 96, 94, 95, 102]);
        Assert.Equal(Verdicts.Qualified, row.Verdict);
        Assert.Equal("4/5", row.Stability);
        Assert.Equal("unstable: without repetition 5 reproduced", row.Unstable);
    }

    [Fact]
    public void A_failed_control_makes_the_paired_verdict_inconclusive()
    {
        var row = C9([100, 102, 98, 101, 99], [90, 91, 89, 92, 88], """[{"check": "slow.count.ok > 1000", "control": true}]""");
        Assert.Equal(Verdicts.Inconclusive, row.Verdict);
        Assert.Empty(row.Qualifications);
        Assert.Null(row.Stability);
        Assert.Contains(row.FailedChecks, f => f.StartsWith("control slow.count.ok > 1000", StringComparison.Ordinal));
    }
    [Fact]
    public void A_benefit_beyond_the_margin_refutes_the_claim()
    {
        var row = C9([100, 100, 100, 100, 100], [120, 122, 118, 121, 119]);
        Assert.Equal(Verdicts.NotReproduced, row.Verdict);
        Assert.EndsWith("a benefit measured: async did better than sync, the 95 % CI lies above +5.0 %", row.Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void A_benefit_the_interval_cannot_place_above_the_margin_is_a_qualification_said_in_words()
    {
        // +3 % on every pair: a benefit, measured, but the whole interval sits below the 5 % that counts against the claim.
        var row = C9([100, 100, 100, 100, 100], [103, 104, 102, 103, 103]);
        Assert.Equal(Verdicts.Qualified, row.Verdict);
        var reading = Assert.Single(row.Qualifications);
        Assert.StartsWith("a benefit measured, but not clearly above the +5.0 % that counts against the claim: the 95 % CI starts at +", reading, StringComparison.Ordinal);
    }
}
