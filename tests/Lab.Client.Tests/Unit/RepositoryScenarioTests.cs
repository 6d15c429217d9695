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
    public void The_sources_page_lists_each_source_with_its_address_and_the_claims_that_cite_it()
    {
        // docs/sources.md is written by hand: its table must agree with SourceDocument and the claims catalogue.
        var text = File.ReadAllText(Path.Combine(s_root, "docs", "sources.md"));
        foreach (var source in SourceDocument.All)
        {
            var row = text.Split('\n').SingleOrDefault(l => l.StartsWith($"| [{source.Id}](#{source.Id.ToLowerInvariant()}) |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/sources.md has no table row for {source.Id}");
            var cells = row!.Split('|', StringSplitOptions.TrimEntries);
            Assert.Equal(source.Title, cells[2]);
            var citing = ClaimCatalog.Testable.Where(c => c.Sources.Contains(source)).Select(c => c.Id);
            Assert.Equal(string.Join(", ", citing), cells[5]);
            Assert.Contains(source.Url, text, StringComparison.Ordinal);
        }

        // Scenarios name claims, not source files: the old file names are not how anything cites a source.
        Assert.DoesNotContain("cited in scenarios as", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The repository's own text: code, scenarios, docs and tests (not build output), the root README, the props, the
    /// scripts, and the Markdown of results/ and its reference runs.
    /// </summary>
    public static IReadOnlyList<string> OwnTextFiles(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var sep = Path.DirectorySeparatorChar;
        static bool Text(string f) => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal)
            || f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)
            || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal);
        var files = new List<string>();
        foreach (var dir in new[] { "lab-client", "lab-server", "lab-contracts", "lab-bench", "scenarios", "docs", "tests" })
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(root, dir), "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal) && Text(f)));
        }

        files.AddRange(new[] { "README.md" }.Select(f => Path.Combine(root, f)).Where(File.Exists));
        files.AddRange(Directory.EnumerateFiles(root, "Directory.*.props"));
        files.AddRange(Directory.EnumerateFiles(root, "run-lab.*"));
        var results = Path.Combine(root, "results");
        if (Directory.Exists(results)) files.AddRange(Directory.EnumerateFiles(results, "*.md"));
        var reference = Path.Combine(results, "reference");
        if (Directory.Exists(reference)) files.AddRange(Directory.EnumerateFiles(reference, "*.md", SearchOption.AllDirectories));
        return files;
    }

    [Fact]
    public void The_scan_for_outside_references_covers_the_root_files_and_results_and_skips_build_output()
    {
        var files = OwnTextFiles(s_root).Select(f => Path.GetRelativePath(s_root, f).Replace(Path.DirectorySeparatorChar, '/')).ToHashSet();
        foreach (var expected in new[] { "README.md", "Directory.Build.props", "Directory.Packages.props", "run-lab.sh", "run-lab.ps1", "results/README.md", "docs/sources.md" })
        {
            Assert.Contains(expected, files);
        }

        if (Directory.Exists(Path.Combine(s_root, "results", "reference")))
        {
            Assert.Contains(files, f => f.StartsWith("results/reference/", StringComparison.Ordinal) && f.EndsWith(".md", StringComparison.Ordinal));
        }

        // Build output is not the repository's text, whatever its extension (the filter's && binds tighter than ||).
        Assert.DoesNotContain(files, f => f.Contains("/bin/", StringComparison.Ordinal) || f.Contains("/obj/", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_in_the_repository_points_outside_it()
    {
        // Code, scenarios, docs, scripts and results cite documents that ship with the repository, never the design notes it was built from.
        var offenders = OwnTextFiles(s_root)
            .Where(f => !f.EndsWith("RepositoryScenarioTests.cs", StringComparison.Ordinal))
            .Where(f =>
            {
                var text = File.ReadAllText(f);
                return text.Contains("DESIGN.md", StringComparison.Ordinal) || text.Contains("threadpool-facts", StringComparison.Ordinal)
                    || text.Contains("../shared", StringComparison.Ordinal) || text.Contains("/work/shared", StringComparison.Ordinal);
            })
            .Select(f => Path.GetRelativePath(s_root, f))
            .ToList();

        Assert.Empty(offenders);
    }
}
