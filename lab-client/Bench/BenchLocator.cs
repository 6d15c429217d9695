using Lab.Client.Running;

namespace Lab.Client.Bench;

/// <summary>
/// Finds the built Lab.Bench.dll (<c>LAB_BENCH_DLL</c>, else <c>lab-bench/bin/&lt;Release|Debug&gt;/net10.0/</c>),
/// and the newest benchmark results for the claims report to link.
/// </summary>
public static class BenchLocator
{
    public const string EnvironmentVariable = "LAB_BENCH_DLL";
    public const string IndexFile = "bench.md";
    public const string FolderSuffix = "-bench";

    private static readonly string[] s_configurations = ["Release", "Debug"];

    public static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : throw new FileNotFoundException($"{EnvironmentVariable} points to \"{fromEnv}\", which does not exist.");
        }

        var root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)
            ?? throw new FileNotFoundException($"No Lab.sln above \"{AppContext.BaseDirectory}\"; set {EnvironmentVariable} to the built Lab.Bench.dll.");
        // Release first: the benchmarks are optimized in both, but Release is what ./run-lab.sh builds.
        return s_configurations
            .Select(c => Path.Combine(root, "lab-bench", "bin", c, "net10.0", "Lab.Bench.dll"))
            .FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"Lab.Bench.dll is not built under {Path.Combine(root, "lab-bench", "bin")}; run `dotnet build lab-bench -c Release`.");
    }

    /// <summary>
    /// The newest <c>results/&lt;timestamp&gt;-bench/bench.md</c> under <paramref name="resultsRoot"/> (or under the
    /// parent of a suite folder inside it), else the committed reference run's; null when there is none.
    /// </summary>
    public static string? Latest(string resultsRoot)
    {
        foreach (var root in new[] { resultsRoot, Path.GetDirectoryName(resultsRoot) }.OfType<string>())
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            var newest = Directory.GetDirectories(root, "*" + FolderSuffix)
                .Where(d => File.Exists(Path.Combine(d, IndexFile)))
                .Order(StringComparer.Ordinal)
                .LastOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest, IndexFile);
            }

            var reference = Path.Combine(root, "reference", "bench", IndexFile);
            if (File.Exists(reference))
            {
                return reference;
            }
        }

        return null;
    }
}
