using System.Globalization;
using System.Text;

namespace Lab.Client.ClientBench;

/// <summary><c>client-bench.md</c>: the capacity table, the cold-start rows and the goals with their verdicts, as the README quotes them.</summary>
public static class ClientBenchMarkdownWriter
{
    public static string Render(ClientBenchReport r, IReadOnlyList<GoalVerdict> goals)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(goals);
        var md = new StringBuilder();
        var loads = r.Rows.Select(x => x.LoadAverage1m).Concat(r.Closed.Select(c => c.LoadAverage1m)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).ToList();
        md.AppendLine(F($"# Client capacity — {r.StartedUtc:yyyy-MM-dd HH:mm} UTC")).AppendLine();
        md.AppendLine(F($"Machine: {r.Machine}, {r.ProcessorCount} cores, {r.Os}, {r.Runtime}. Server, backend and client share them."));
        md.AppendLine(F($"Load average (1 min) while the rows ran: {loads.Min():0.##}–{loads.Max():0.##}."));
        md.AppendLine(F($"Command: `{r.CommandLine}` ({r.DurationS:0.#} s per row; client `{r.ClientDll}`)."));
        md.AppendLine($"The open-model dispatcher's scheduling for this user, with this build: {r.DispatcherScheduling}.").AppendLine();
        md.AppendLine(Table(r.Rows)).AppendLine();
        if (r.Closed.Count > 0)
        {
            md.AppendLine("Cold start, closed model, a fresh server pair per row (latency from the intended time, answered requests):").AppendLine();
            md.AppendLine("| setup | users | endpoint | first-second p99 | p99 after | ratio | p50 after | load avg |");
            md.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|");
            foreach (var c in r.Closed)
            {
                md.AppendLine(F($"| {c.Setup} | {c.Users} | `{c.Endpoint}` | {c.FirstSecondP99Ms:0.#} ms | {c.RestP99Ms:0.#} ms | {c.Ratio:0.00}× | {c.RestP50Ms:0.#} ms | {c.LoadAverage1m:0.##} |"));
            }

            md.AppendLine();
        }

        md.AppendLine("Goals (the client must have headroom to load someone else's app):").AppendLine();
        foreach (var g in goals) md.AppendLine($"- **{(g.Met is null ? "not judged" : g.Met.Value ? "met" : "not met")}** — {g.Goal}: {g.Measured}.");
        if (r.Notes.Count > 0)
        {
            md.AppendLine();
            foreach (var n in r.Notes) md.AppendLine($"- {n}");
        }

        return md.ToString();
    }

    /// <summary>The capacity table alone (printed at the end of a sitting, and the README's table).</summary>
    public static string Table(IReadOnlyList<BenchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var md = new StringBuilder();
        md.AppendLine("| tool | model | target/s | achieved/s | dispatch lag p50 / p99 / max | dropped | CPU per 1,000 requests | load avg | VM steal |");
        md.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var x in rows)
        {
            var lag = x.LagP99Ms is null ? "–" : F($"{x.LagP50Ms:0.###} / {x.LagP99Ms:0.###} / {x.LagMaxMs:0.#} ms");
            var target = x.TargetPerS is { } t ? F($"{t:#,0}") : "–";
            var note = x.Note is null ? x.ClientLimited ? " (client-limited)" : "" : $" ({x.Note})";
            md.AppendLine().Append(F($"| {x.Tool}{note} | {x.Model} | {target} | {x.AchievedPerS:#,0} | {lag} | {(x.Dropped is { } d ? d.ToString("#,0", CultureInfo.InvariantCulture) : "–")} | {x.CpuMsPer1k:0.#} ms | {x.LoadAverage1m:0.##} | {(x.StealPct is { } st ? F($"{st:0.#} %") : "–")} |"));
        }

        return md.ToString();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
