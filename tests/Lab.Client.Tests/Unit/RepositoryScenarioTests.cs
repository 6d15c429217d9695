using Lab.Client.Claims;
using Lab.Client.Commands;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>The scenario files in the repository, the generated schema and docs, and the claims catalogue agree with each other.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class RepositoryScenarioTests
{
    private static readonly string s_root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;

    public static TheoryData<string> ScenarioFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(s_root, "scenarios"), "*.yaml", SearchOption.AllDirectories)) data.Add(Path.GetRelativePath(s_root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_scenario_in_the_repository_is_valid_and_says_what_it_tests_and_how_to_run_it(string file)
    {
        var path = Path.Combine(s_root, file);
        var scenario = ScenarioLoader.Load(path);
        if (scenario.Suite != "none")
        {
            // A suite scenario must say, for every claim, what to report as measured, and have an effect check.
            Assert.Equal(scenario.Claims.Order(), scenario.Evidence.Keys.Order());
            Assert.Contains(scenario.CheckRoles, r => r.Qualifies is null);
            Assert.Contains(scenario.Parameters, p => p.Origin == ScenarioParameter.FromFile);
        }

        // The first lines say what it is for (a claim's id first, for a claim's scenario) and how to run it.
        var lines = File.ReadLines(path).Take(2).ToArray();
        Assert.Matches(scenario.Claims.Count > 0 ? "^# C[0-9]+" : "^# [A-Z]", lines[0]);
        Assert.Contains(scenario.Sweep is null ? "run-lab.sh" : "run-lab.sh sweep", lines[1], StringComparison.Ordinal);
    }

    public static TheoryData<string> SweepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(s_root, "scenarios", "sweeps"), "*.yaml")) data.Add(Path.GetRelativePath(s_root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(SweepFiles))]
    public void Every_shipped_sweep_plans_within_five_minutes_with_an_objective_and_a_model(string file)
    {
        var plan = Lab.Client.Sweeps.SweepRunner.Plan(Path.Combine(s_root, file), new Dictionary<string, string>(), null, 1);
        Assert.Equal("none", plan.Scenario.Suite);
        Assert.NotNull(plan.Spec.Objective);
        Assert.NotNull(plan.Spec.Model);
        Assert.True(plan.Spec.MaxMinutes <= 5, $"{file}: maxMinutes {plan.Spec.MaxMinutes}");
        Assert.True(plan.Minutes <= plan.Spec.MaxMinutes, $"{file}: estimated {plan.Minutes:0.0} min, over its own limit of {plan.Spec.MaxMinutes}");
        Assert.NotEmpty(plan.Runnable);
    }

    [Fact]
    public void The_connection_cap_sweep_runs_from_four_connections_to_unlimited()
    {
        // C8 as the issue asks: a cap from 4 to unlimited.
        var plan = Lab.Client.Sweeps.SweepRunner.Plan(Path.Combine(s_root, "scenarios", "sweeps", "c8-connection-caps.yaml"), new Dictionary<string, string>(), null, 1);
        var caps = Assert.Single(plan.Spec.Axes, a => a.Name == "maxConnectionsPerServer").Values;
        Assert.Equal("4", caps[0]);
        Assert.Equal("unlimited", caps[^1]);
    }

    public static TheoryData<string> GeneratedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in GenerateCommand.Files) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void Every_generated_file_matches_the_tables_it_is_generated_from(string relative)
    {
        var (_, generate) = GenerateCommand.Files.Single(f => f.Path == relative);
        var path = Path.Combine(s_root, relative);
        var current = File.ReadAllText(path);
        var expected = generate(current);
        if (expected != current)
        {
            File.WriteAllText(path + ".expected", expected);
            Assert.Fail($"{relative} is stale: run ./run-lab.sh generate (the expected text is in {relative}.expected).");
        }
    }

    [Fact]
    public void Every_catalogued_claim_names_a_scenario_that_tests_it_and_every_scenario_claim_is_catalogued()
    {
        var scenarios = Directory.GetFiles(Path.Combine(s_root, "scenarios"), "*.yaml").Select(f => ScenarioLoader.Load(f)).ToList();
        foreach (var claim in ClaimCatalog.Testable)
        {
            Assert.NotNull(claim.Scenario);
            var file = Path.Combine(s_root, "scenarios", claim.Scenario!);
            Assert.True(File.Exists(file), $"{claim.Id} names {claim.Scenario}, which does not exist");
            Assert.Contains(claim.Id, ScenarioLoader.Load(file).Claims);
            Assert.All(claim.Sources, s => Assert.Contains(s, SourceDocument.All));
        }

        Assert.All(scenarios.SelectMany(s => s.Claims), id => Assert.NotNull(ClaimCatalog.Find(id)));
    }

    [Fact]
    public void Nothing_in_the_repository_points_outside_it()
    {
        // Code, scenarios and docs cite documents that ship with the repository, never the design notes it was built from.
        var offenders = new List<string>();
        foreach (var dir in new[] { "lab-client", "lab-server", "lab-contracts", "lab-bench", "scenarios", "docs", "tests" })
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(s_root, dir), "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                if (f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || f.EndsWith("RepositoryScenarioTests.cs", StringComparison.Ordinal)) continue;
                var text = File.ReadAllText(f);
                if (text.Contains("DESIGN.md", StringComparison.Ordinal) || text.Contains("threadpool-facts", StringComparison.Ordinal) || text.Contains("../shared", StringComparison.Ordinal))
                {
                    offenders.Add(Path.GetRelativePath(s_root, f));
                }
            }
        }

        Assert.Empty(offenders);
    }
}
