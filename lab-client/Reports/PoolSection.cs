using System.Net;
using System.Text;
using Lab.Client.Analysis;
using Lab.Client.Recording.Diagnostics;

namespace Lab.Client.Reports;

/// <summary>
/// "Why the pool grew, and where its threads were": per variant, the threads the pool added above its minimum by the
/// runtime's reason (medians over repetitions), and for each variant with a stack snapshot the places its threads were
/// at the worst moment of the stall, largest first — the table beside the <c>stacks</c> chart — and why snapshots stopped
/// where a run says so (its stack agent died or hung). Every word comes from the run's events, snapshots and run.json; a
/// run without them has no such section.
/// </summary>
public static class PoolSection
{
    /// <summary>Places listed per snapshot; the rest are one row.</summary>
    public const int MaxRows = 10;

    /// <param name="Variant">The variant's name.</param>
    /// <param name="Injections">"61 threads added: 58 cooperative blocking, 3 starvation"; null without pool events.</param>
    /// <param name="Snapshot">The stack snapshot of the variant's representative run; null when none was taken.</param>
    /// <param name="StacksFailures">Why snapshots could not be taken or stopped early, per run that says so (run.json's <c>server.stacksFailure</c>).</param>
    public sealed record VariantPool(string Variant, string? Injections, StackSnapshot? Snapshot, IReadOnlyList<string>? StacksFailures = null)
    {
        public IReadOnlyList<string> Failures => StacksFailures ?? [];
    }

    public static IReadOnlyList<VariantPool> For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Variants
            .Select(v => new VariantPool(v.Name, PoolText.Injections(v), ChartSet.Representative(v).Data.Stacks, Failures(v)))
            .Where(p => p.Injections is not null || p.Snapshot is not null || p.Failures.Count > 0)];
    }

    private static List<string> Failures(VariantAggregate v) =>
        [.. v.Runs.Where(r => r.Data.Run.Server.StacksFailure is not null)
            .Select(r => (v.Runs.Count > 1 ? $"repetition {r.Data.Repetition}: " : "") + r.Data.Run.Server.StacksFailure)];

    /// <summary>A snapshot's rows: (place, threads, share of the managed threads), the last one the places beyond <see cref="MaxRows"/>.</summary>
    public static IReadOnlyList<(string Place, int Threads, double Share)> Rows(StackSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var rows = s.Headlines.Take(MaxRows).Select(h => (h.Headline, h.Count)).ToList();
        var rest = s.Headlines.Skip(MaxRows).Sum(h => h.Count);
        if (rest > 0) rows.Add(($"({s.Headlines.Count - MaxRows} more places)", rest));
        return [.. rows.Select(r => (r.Item1, r.Item2, s.Threads == 0 ? double.NaN : (double)r.Item2 / s.Threads))];
    }

    /// <summary>"27 of 41 managed threads at 5.0 s, pool queue 229, 27 pool threads, paused 41 ms".</summary>
    public static string Caption(StackSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return $"{s.Threads} managed threads {PoolText.Moment(s)}";
    }

    private static string Percent(double share) => double.IsFinite(share) ? $"{Math.Round(share * 100):0} %" : "–";

    public static string Markdown(IReadOnlyList<VariantPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        if (pools.Count == 0) return "";
        var md = new StringBuilder("## Why the pool grew, and where its threads were\n\n");
        foreach (var p in pools.Where(p => p.Injections is not null)) md.Append("- **").Append(p.Variant).Append("**: ").Append(p.Injections).Append('\n');
        md.Append('\n');
        foreach (var (variant, failure) in pools.SelectMany(p => p.Failures.Select(f => (p.Variant, f))))
        {
            md.Append("> **Stack snapshots of ").Append(variant).Append(":** ").Append(failure).Append("\n\n");
        }

        foreach (var p in pools.Where(p => p.Snapshot is not null))
        {
            md.Append("Where the threads were — **").Append(p.Variant).Append("** (").Append(Caption(p.Snapshot!)).Append("; chart: `stacks`):\n\n| place | threads | share |\n|---|---:|---:|\n");
            foreach (var (place, threads, share) in Rows(p.Snapshot!))
            {
                md.Append("| `").Append(place.Replace("|", "\\|", StringComparison.Ordinal)).Append("` | ").Append(threads).Append(" | ").Append(Percent(share)).Append(" |\n");
            }

            md.Append('\n');
        }

        return md.ToString();
    }

    public static string Html(IReadOnlyList<VariantPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        if (pools.Count == 0) return "";
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<h2 id=\"pool\">Why the pool grew, and where its threads were</h2>\n");
        var lines = pools.Where(p => p.Injections is not null).ToList();
        if (lines.Count > 0)
        {
            html.Append("<ul class=\"injections\">");
            foreach (var p in lines) html.Append("<li><b>").Append(E(p.Variant)).Append("</b>: ").Append(E(p.Injections!)).Append("</li>");
            html.Append("</ul>\n");
        }

        foreach (var (variant, failure) in pools.SelectMany(p => p.Failures.Select(f => (p.Variant, f))))
        {
            html.Append("<div class=\"bad\"><b>Stack snapshots of ").Append(E(variant)).Append(":</b> ").Append(E(failure)).Append("</div>\n");
        }

        foreach (var p in pools.Where(p => p.Snapshot is not null))
        {
            html.Append("<p class=\"meta\">Where the threads were — <b>").Append(E(p.Variant)).Append("</b>: ").Append(E(Caption(p.Snapshot!)))
                .Append(" (<a href=\"#stacks\">chart</a>).</p>\n<table class=\"grid stacks\"><tr><th>place</th><th>threads</th><th>share</th></tr>\n");
            foreach (var (place, threads, share) in Rows(p.Snapshot!))
            {
                html.Append("<tr><td><code>").Append(E(place)).Append("</code></td><td class=\"num\">").Append(threads).Append("</td><td class=\"num\">").Append(Percent(share)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        return html.ToString();
    }
}
