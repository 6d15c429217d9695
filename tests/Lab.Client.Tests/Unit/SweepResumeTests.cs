using Lab.Client.Sweeps;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>Which sweep a command continues: --resume names it; the same sweep run into its folder with --out continues it too.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class SweepResumeTests
{
    private const string Text = """
        name: resumable
        description: a sweep to resume
        claims: []
        params:
          delayMs: 100
        load:
          model: open
          phases:
            - inject: { ratePerS: 10, durationS: 1 }
        variants:
          - name: a
            endpoint: /async?delayMs={delayMs}
        sweep:
          grid:
            delayMs: [50, 100]
        """;

    private static readonly Dictionary<string, string> None = [];

    /// <summary>A scenario file, and a sweep folder begun from it (its first cell complete) beside an empty results root.</summary>
    private static (string Scenario, string Sweep, string Root) Begun()
    {
        var dir = Directory.CreateTempSubdirectory("lab-sweep-resume-").FullName;
        var scenario = Path.Combine(dir, "resumable.yaml");
        File.WriteAllText(scenario, Text);
        var sweep = Path.Combine(dir, "results", "20270115T080000Z-sweep-resumable");
        Directory.CreateDirectory(sweep);
        var file = SweepRunner.NewFile(SweepRunner.Plan(scenario, None, null, 1), None, 1);
        file.Cells[0].Status = SweepRunner.Complete;
        file.Status = SweepRunner.Interrupted;
        file.Save(sweep);
        return (scenario, sweep, Path.Combine(dir, "results"));
    }

    [Fact]
    public void The_same_sweep_run_into_its_folder_continues_it_and_says_so()
    {
        var (scenario, sweep, _) = Begun();
        var (continuation, error) = SweepResume.Resolve(scenario, None, null, 1, resume: null, outDir: sweep);
        Assert.Null(error);
        Assert.NotNull(continuation);
        Assert.False(continuation.ByResume);
        Assert.Equal(Path.GetFullPath(sweep), continuation.Folder);
        Assert.Equal(SweepRunner.Complete, continuation.File.Cells[0].Status);
        Assert.StartsWith($"Continuing the sweep in {Path.GetFullPath(sweep)}", continuation.Announcement, StringComparison.Ordinal);
        Assert.Contains("1 of 2 cells already measured and kept, 1 to run", continuation.Announcement, StringComparison.Ordinal);
        // Its own options, given again, are the same sweep.
        Assert.Null(SweepResume.Resolve(scenario, None, repeat: 1, 1, null, sweep).Error);
    }

    [Fact]
    public void A_results_root_starts_a_new_sweep()
    {
        var (scenario, _, root) = Begun();
        foreach (var outDir in new[] { root, null })
        {
            var (continuation, error) = SweepResume.Resolve(scenario, None, null, 1, null, outDir);
            Assert.Null(continuation);
            Assert.Null(error);
        }
    }

    [Fact]
    public void A_folder_holding_a_sweep_of_a_different_scenario_text_is_refused()
    {
        var (scenario, sweep, _) = Begun();
        var changed = Path.Combine(Path.GetDirectoryName(scenario)!, "changed.yaml");
        File.WriteAllText(changed, Text.Replace("[50, 100]", "[50, 100, 200]", StringComparison.Ordinal));
        var (continuation, error) = SweepResume.Resolve(changed, None, null, 1, null, sweep);
        Assert.Null(continuation);
        Assert.Contains("different scenario text", error, StringComparison.Ordinal);
        Assert.Contains("would not compare", error, StringComparison.Ordinal);

        // --resume refuses the same way once the sweep's own file changed.
        File.WriteAllText(scenario, Text + "\n# edited\n");
        Assert.Contains("changed since the sweep began", SweepResume.Resolve(null, None, null, 1, sweep, null).Error, StringComparison.Ordinal);
        Assert.Contains("different scenario text", SweepResume.Resolve(scenario, None, null, 1, null, sweep).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_other_than_the_sweeps_own_are_refused_by_name()
    {
        var (scenario, sweep, _) = Begun();
        Assert.Contains("--repeat 3 (it has 1)", SweepResume.Resolve(scenario, None, 3, 1, null, sweep).Error, StringComparison.Ordinal);
        Assert.Contains("--scale 0.5 (it has 1)", SweepResume.Resolve(scenario, None, null, 0.5, null, sweep).Error, StringComparison.Ordinal);
        Assert.Contains("--set delayMs=70", SweepResume.Resolve(scenario, new Dictionary<string, string> { ["delayMs"] = "70" }, null, 1, null, sweep).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_still_names_the_folder_alone()
    {
        var (scenario, sweep, root) = Begun();
        var (continuation, error) = SweepResume.Resolve(null, None, null, 1, sweep, null);
        Assert.Null(error);
        Assert.True(continuation!.ByResume);
        Assert.Equal(Path.GetFullPath(scenario), continuation.ScenarioPath);
        Assert.Contains("--resume keeps the sweep's own", SweepResume.Resolve(null, None, 3, 1, sweep, null).Error, StringComparison.Ordinal);
        Assert.Contains("no sweep.json there", SweepResume.Resolve(null, None, null, 1, root, null).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_over_its_limit_names_the_estimate_and_the_option_that_lifts_it()
    {
        var text = SweepPlan.OverLimit(7.31, 5, limitGiven: false);
        Assert.Contains("about 7.3 min, over its limit of 5 min (the sweep's maxMinutes:)", text, StringComparison.Ordinal);
        Assert.Contains("--max-minutes 7.4", text, StringComparison.Ordinal);
        Assert.Contains("(--max-minutes)", SweepPlan.OverLimit(7.31, 6, limitGiven: true), StringComparison.Ordinal);
    }
}
