using Lab.Testing;
using Lab.Client.Bench;
using Lab.Client.Commands;

namespace Lab.Client.Tests.Bench;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class BenchIndexTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lab-bench-index-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_index_embeds_every_exported_table_says_what_it_measures_and_links_the_csv()
    {
        File.WriteAllText(Path.Combine(_dir, "Lab.Bench.Benchmarks.CpuBoundCallBenchmarks-report-github.md"), "| Method | Mean |\n|--- |---:|\n| Direct | 1.0 ns |\n");
        File.WriteAllText(Path.Combine(_dir, "Lab.Bench.Benchmarks.CpuBoundCallBenchmarks-report.csv"), "Method,Mean\n");

        var md = File.ReadAllText(BenchIndexWriter.Write(_dir, "dotnet Lab.Bench.dll --job short", 0, TimeSpan.FromMinutes(2)));

        Assert.Contains("## CpuBoundCallBenchmarks", md, StringComparison.Ordinal);
        Assert.Contains("Bears on C9.", md, StringComparison.Ordinal);
        Assert.Contains("| Direct | 1.0 ns |", md, StringComparison.Ordinal);
        Assert.Contains("(Lab.Bench.Benchmarks.CpuBoundCallBenchmarks-report.csv)", md, StringComparison.Ordinal);
        Assert.Contains("(exit 0)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_exported_nothing_says_so_instead_of_an_empty_page()
    {
        var md = File.ReadAllText(BenchIndexWriter.Write(_dir, "dotnet Lab.Bench.dll", 1, TimeSpan.Zero));
        Assert.Contains("No table was exported", md, StringComparison.Ordinal);
        Assert.Contains("(exit 1)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_newest_bench_folder_wins_over_older_ones_and_over_the_reference()
    {
        foreach (var name in new[] { "20261101T000000Z-bench", "20261121T000000Z-bench", "20261130T000000Z-bench", "reference/bench" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, name));
        }

        // The newest folder has no index (a run still going, or one that failed to start): skipped.
        File.WriteAllText(Path.Combine(_dir, "20261101T000000Z-bench", "bench.md"), "");
        File.WriteAllText(Path.Combine(_dir, "20261121T000000Z-bench", "bench.md"), "");
        File.WriteAllText(Path.Combine(_dir, "reference", "bench", "bench.md"), "");

        Assert.Equal(Path.Combine(_dir, "20261121T000000Z-bench", "bench.md"), BenchLocator.Latest(_dir));
        Directory.Delete(Path.Combine(_dir, "20261101T000000Z-bench"), true);
        Directory.Delete(Path.Combine(_dir, "20261121T000000Z-bench"), true);
        Assert.Equal(Path.Combine(_dir, "reference", "bench", "bench.md"), BenchLocator.Latest(_dir));
    }

    [Fact]
    public void Benchmark_sources_name_only_the_BenchmarkDotNet_version_the_lab_uses()
    {
        // A comment about what "BenchmarkDotNet x.y.z" does or refuses goes stale when the package moves on.
        var root = Lab.Client.Running.LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;
        var used = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(root, "Directory.Packages.props")),
            "Include=\"BenchmarkDotNet\" Version=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(used);
        var stale = Directory.GetFiles(Path.Combine(root, "lab-bench"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"BenchmarkDotNet\s+(\d+\.\d+\.\d+)")
                .Where(m => m.Groups[1].Value != used).Select(m => $"{Path.GetRelativePath(root, f)}: {m.Value}"))
            .ToList();
        Assert.True(stale.Count == 0, $"the lab uses BenchmarkDotNet {used}, but: {string.Join("; ", stale)}");
    }
}

/// <summary>
/// Keeps the benchmarks from rotting: the real `bench` command runs one real benchmark with BenchmarkDotNet's
/// dry job, in process, and the table lands in the results folder. Speed is not asserted.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("lab-bench-run-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task A_dry_run_of_one_benchmark_exports_its_table_into_a_bench_folder()
    {
        var code = await BenchCommand.RunAsync(["*ApmCompletedBenchmarks.Read"], "dry", inProcess: true, _out, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, code);
        var folder = Assert.Single(Directory.GetDirectories(_out, "*-bench"));
        var md = File.ReadAllText(Path.Combine(folder, "bench.md"));
        Assert.Contains("## ApmCompletedBenchmarks", md, StringComparison.Ordinal);
        Assert.Matches(@"\| Read +\| +[\d.,]+ [nuμm]?s", md);
        Assert.True(File.Exists(Path.Combine(folder, "Lab.Bench.Benchmarks.ApmCompletedBenchmarks-report.csv")));
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_fails_and_says_no_table_was_exported()
    {
        var code = await BenchCommand.RunAsync(["*NoSuchBenchmark*"], "dry", inProcess: true, _out, CancellationToken.None);

        var folder = Assert.Single(Directory.GetDirectories(_out, "*-bench"));
        Assert.Contains("No table was exported", File.ReadAllText(Path.Combine(folder, "bench.md")), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.RunFailed, code);
    }
}
