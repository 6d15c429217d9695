using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Lab.Client.Bench;

/// <summary>
/// <c>bench.md</c>: one page with every exported BenchmarkDotNet table of a run, what each one measures for
/// which claim, the environment block BenchmarkDotNet printed, and links to the CSV files.
/// </summary>
public static class BenchIndexWriter
{
    /// <summary>What each benchmark class measures (the claims it bears on are in the claims catalogue).</summary>
    public static readonly IReadOnlyDictionary<string, string> Classes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CpuBoundCallBenchmarks"] = "The same CPU work (xorshift rounds; Rounds = 100 is ~0.1 µs) called directly, through an async method that completes synchronously, and offloaded with Task.Run.",
        ["AwaitBenchmarks"] = "Awaiting a completed versus a pending Task<int>, ValueTask<int> and pooled ValueTask<int>.",
        ["ThreadVersusPoolBenchmarks"] = "Creating, starting and joining a thread versus queueing the same work to the pool.",
        ["ApmBridgeBenchmarks"] = "A one-byte loopback TCP round trip: blocking, await, FromAsync over Begin/End, a raw Begin/End callback.",
        ["ApmCompletedBenchmarks"] = "FromAsync over Stream's default Begin/EndRead (MemoryStream does not override them, so each read is queued to the pool) versus Read and ReadAsync.",
    };

    /// <summary>Writes bench.md into <paramref name="folder"/> from the <c>*-report-github.md</c> files copied there.</summary>
    public static string Write(string folder, string commandLine, int exitCode, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Micro-benchmarks — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:0.0} min, {Environment.ProcessorCount} cores\n\n");
        md.Append("BenchmarkDotNet tables of the per-call costs behind the claims; the request-level effect of each is in the claims suite.\n");
        md.Append(CultureInfo.InvariantCulture, $"Command: `{commandLine}` (exit {exitCode}). Machine: {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.\n\n");
        var tables = Directory.GetFiles(folder, "*-report-github.md").Order(StringComparer.Ordinal).ToList();
        if (tables.Count == 0)
        {
            md.Append("**No table was exported**: the run failed before any benchmark finished. See `bdn/*.log`.\n");
        }

        foreach (var table in tables)
        {
            var file = Path.GetFileName(table);
            var name = file.Replace("-report-github.md", "", StringComparison.Ordinal);
            var shortName = name[(name.LastIndexOf('.') + 1)..];
            var csv = name + "-report.csv";
            md.Append("## ").Append(shortName).Append('\n').Append('\n');
            if (Classes.TryGetValue(shortName, out var what))
            {
                var claims = string.Join(", ", Claims.ClaimCatalog.ForBenchmark(shortName).Select(c => c.Id));
                md.Append(CultureInfo.InvariantCulture, $"{what}{(claims.Length == 0 ? "" : $" Bears on {claims}.")}\n\n");
            }

            md.Append(File.ReadAllText(table).Trim()).Append("\n\n");
            md.Append(CultureInfo.InvariantCulture, $"Files: [{file}]({file}) · [{csv}]({csv})\n\n");
        }

        var path = Path.Combine(folder, BenchLocator.IndexFile);
        File.WriteAllText(path, md.ToString());
        return path;
    }
}
