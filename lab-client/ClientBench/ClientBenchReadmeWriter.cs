using System.Globalization;
using System.Text;

namespace Lab.Client.ClientBench;

/// <summary>
/// lab-client/README.md's capacity section, generated from the committed sitting
/// (<c>results/reference/client-bench/client-bench.json</c>), never typed in: <c>./run-lab.sh generate</c> splices the
/// tables and the goals' verdicts between two markers, and a test fails when the README differs from them.
/// </summary>
public static class ClientBenchReadmeWriter
{
    public const string Begin = "<!-- client-bench:begin — generated from results/reference/client-bench/client-bench.json by ./run-lab.sh generate; do not edit -->";
    public const string End = "<!-- client-bench:end -->";
    public const string ReferenceFolder = "results/reference/client-bench";

    public static string Splice(string current, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(current);
        var start = current.IndexOf(Begin, StringComparison.Ordinal);
        var end = current.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) return current;
        return current[..(start + Begin.Length)] + "\n" + Section(repositoryRoot) + current[end..];
    }

    public static string Section(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, ReferenceFolder, ClientBenchReport.JsonFileName);
        if (!File.Exists(path)) return "No client-bench sitting is committed yet: `./run-lab.sh client-bench` makes one.\n";
        var r = ClientBenchReport.Read(path);
        var md = new StringBuilder();
        var loads = r.Rows.Select(x => x.LoadAverage1m).Concat(r.Closed.Select(c => c.LoadAverage1m)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToList();
        md.AppendLine(F($"Measured {r.StartedUtc:yyyy-MM-dd HH:mm} UTC on {r.Machine}, {r.ProcessorCount} cores, {r.Os}, {r.Runtime}; server, backend and client on the same cores (load average {loads.Min():0.##}–{loads.Max():0.##} while the rows ran), with `{r.CommandLine}` ({r.DurationS:0.#} s per row). The dispatcher's scheduling: {r.DispatcherScheduling}. The whole sitting: [client-bench.md]({ReferenceFolder}/{ClientBenchReport.MarkdownFileName})."));
        md.AppendLine();
        md.AppendLine(ClientBenchMarkdownWriter.Table(r.Rows));
        if (r.Closed.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| closed-model cold start | users | endpoint | first-second p99 | p99 after | ratio | p50 after | load avg |");
            md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|");
            foreach (var c in r.Closed)
            {
                md.AppendLine(F($"| {c.Setup} | {c.Users} | `{c.Endpoint}` | {c.FirstSecondP99Ms:0.#} ms | {c.RestP99Ms:0.#} ms | {c.Ratio:0.00}× | {c.RestP50Ms:0.#} ms | {c.LoadAverage1m:0.##} |"));
            }
        }

        md.AppendLine();
        md.AppendLine("The goals, judged on that sitting:").AppendLine();
        foreach (var g in BenchGoals.Judge(r, ClientBenchOptions.DefaultCompareRatePerS))
        {
            md.AppendLine($"- **{(g.Met is null ? "not judged" : g.Met.Value ? "met" : "not met")}** — {g.Goal}: {g.Measured}.");
        }

        return md.ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
