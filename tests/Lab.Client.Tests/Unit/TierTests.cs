using System.Reflection;
using Lab.Client.Testing;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class TierTests
{
    [Fact]
    public void Every_test_class_belongs_to_a_tier_so_the_test_command_runs_it()
    {
        var untagged = typeof(TierTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes().Any(a => a is FactAttribute)))
            .Where(t => !t.GetCustomAttributes<TraitAttribute>().Any())
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(untagged);
    }

    [Fact]
    public void The_real_process_tier_runs_every_test_project_one_after_another_the_server_first()
    {
        // Side by side, each project's real-process tests waited on the machine lock for the other's whole run.
        var root = Lab.Client.Running.LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;
        var sep = Path.DirectorySeparatorChar;
        Assert.Equal([$"tests{sep}Lab.Server.Tests{sep}Lab.Server.Tests.csproj", $"tests{sep}Lab.Client.Tests{sep}Lab.Client.Tests.csproj"], TestRunner.TestProjects(root));
    }

    [Fact]
    public void No_test_passes_silently_on_a_system_it_cannot_run_on()
    {
        // A test that returns early off Linux reports "passed" having checked nothing: it must skip with its reason
        // (Prerequisite.RequireLinux in a [SkippableFact]), which CI turns into a failure.
        var root = Lab.Client.Running.LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;
        var sep = Path.DirectorySeparatorChar;
        var silent = Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal))
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"OperatingSystem\.Is\w+\(\)\)\s*return\s*;"))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        Assert.Empty(silent);
    }

    [Fact]
    public void The_test_command_installs_every_prerequisite_the_tests_check_for()
    {
        Assert.Equal(
            Prerequisite.All.Select(p => (p.Name, p.DebianPackage, string.Join(' ', p.Candidates))),
            TestPrerequisite.All.Select(p => (p.Name, p.DebianPackage, string.Join(' ', p.Candidates))));
        Assert.Equal(Tier.InOrder, TestRunner.Tiers);
    }

    [Theory]
    [InlineData("Passed!  - Failed:     0, Passed:   150, Skipped:     0, Total:   150, Duration: 46 s - Lab.Server.Tests.dll (net10.0)", 150, 0, 0)]
    [InlineData("Failed!  - Failed:     2, Passed:   150, Skipped:     1, Total:   153, Duration: 46 s - Lab.Server.Tests.dll (net10.0)", 150, 2, 1)]
    [InlineData("Skipped! - Failed:     0, Passed:     0, Skipped:     1, Total:     1, Duration: 28 ms - Lab.Client.Tests.dll (net10.0)", 0, 0, 1)]
    public void Test_summaries_are_read_from_dotnet_test_output(string line, int passed, int failed, int skipped) =>
        Assert.Equal((passed, failed, skipped), TierResult.ParseSummary(line));

    [Theory]
    [InlineData("  Passed Lab.Client.Tests.Unit.TierTests.Something [1 ms]")]
    [InlineData("Total tests: 3")]
    public void Other_lines_are_not_summaries(string line) => Assert.Null(TierResult.ParseSummary(line));
}
