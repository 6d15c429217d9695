using System.Net;
using System.Text;
using System.Text.Json;
using Lab.Client.Recording;

namespace Lab.Client.Claims;

/// <summary>
/// claims.md, claims.html and claims.json: the same rows, with the verdict legend and the machine the suite ran on.
/// Each claim's key chart appears as a thumbnail (its PNG, linked relative to the suite folder, where the runs are)
/// that opens the chart's figure in its run's report (<c>report.html#queues</c>), not a bare SVG.
/// </summary>
public static class ClaimsWriters
{
    /// <summary>
    /// A chart link as <see cref="ClaimsReport"/> gives it (<c>run/queues.svg</c>, relative to the suite folder):
    /// the figure in the run's report, and the PNG beside the SVG.
    /// </summary>
    public static (string Page, string Thumbnail) ChartLinks(string chartPath)
    {
        ArgumentNullException.ThrowIfNull(chartPath);
        var path = chartPath.Replace('\\', '/');
        var slash = path.LastIndexOf('/');
        var (folder, file) = slash < 0 ? ("", path) : (path[..(slash + 1)], path[(slash + 1)..]);
        var id = Path.GetFileNameWithoutExtension(file);
        return ($"{folder}report.html#{Uri.EscapeDataString(id)}", $"{folder}{id}.png");
    }

    public static string Markdown(IReadOnlyList<ClaimRow> rows, string title, string machine)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var md = new StringBuilder($"# {title}\n\n{machine}\n\n");
        md.Append("| claim | the document says | the lab measured | verdict | report |\n|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            var verdict = r.VerdictWithStability;
            if (r.Effect is not null) verdict += ": " + r.Effect;
            if (r.Qualifications.Count > 0) verdict += ": " + string.Join("; ", r.Qualifications);
            if (r.FailedChecks.Count > 0) verdict += "; did not hold: " + string.Join("; ", r.FailedChecks.Select(f => $"`{f}`"));
            if (r.Unstable is not null) verdict += " — " + r.Unstable;
            md.Append("| ").Append(r.Claim.Id).Append(" | ").Append(Cell(r.Says)).Append(" | ").Append(Cell(r.Measured)).Append(" | **").Append(Cell(verdict)).Append("** | ")
                .AppendJoin(" ", r.Reports.Select(x => $"[{x.Scenario}]({x.ReportPath})"))
                .Append(r.WallTimeText is { } wall ? $" ({wall})" : "")
                .Append(string.Concat((r.ChartPaths ?? []).Select(c => $" · [chart]({ChartLinks(c).Page})")))
                .Append(string.Concat((r.BenchmarkPaths ?? []).Select(b => $" · [{BenchLabel(b)}]({b})"))).Append(" |\n");
        }

        md.Append("\n**Verdicts.** ").AppendJoin(" ", Verdicts.Legend.Select(l => $"*{l.Word}*: {l.Meaning}.")).Append('\n');
        md.Append("\n**Numbers.** ").Append(NumbersNote).Append('\n');
        md.Append("\nSources: ").AppendJoin("; ", SourceDocument.All.Select(s => $"{s.Id} [{s.Title}]({s.Url}) ({s.Publisher})")).Append(".\n");
        return md.ToString();
    }

    public static string Html(IReadOnlyList<ClaimRow> rows, string title, string machine)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:\"Segoe UI\",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1200px;color:#222}table{border-collapse:collapse;font-size:13px}")
            .Append("td,th{border:1px solid #ddd;padding:5px 8px;vertical-align:top}th{background:#f5f7fa;text-align:left}")
            .Append(".reproduced{color:#1a7f37;font-weight:600}.qualified{color:#9a6700;font-weight:600}.not{color:#c62828;font-weight:600}.na{color:#666}")
            .Append("dl{font-size:13px}dt{font-weight:600;display:inline}dd{display:inline;margin:0 0 0 4px}dd::after{content:\"\";display:block}")
            .Append("img.thumb{width:320px;height:auto;border:1px solid #ddd;display:block;margin:4px 0}</style></head><body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"machine\">").Append(E(machine)).Append("</p>\n")
            .Append("<table><tr><th>claim</th><th>the document says</th><th>the lab measured</th><th>verdict</th><th>report</th></tr>\n");
        foreach (var r in rows)
        {
            var css = r.Verdict switch
            {
                Verdicts.Reproduced => "reproduced",
                Verdicts.Qualified => "qualified",
                Verdicts.NotReproduced or Verdicts.Inconclusive => "not",
                _ => "na",
            };
            html.Append("<tr><td>").Append(E(r.Claim.Id)).Append("</td><td>").Append(E(r.Says)).Append("</td><td>").Append(E(r.Measured)).Append("</td><td><span class=\"")
                .Append(css).Append("\">").Append(E(r.VerdictWithStability)).Append("</span>");
            if (r.Effect is not null) html.Append("<br>").Append(E(r.Effect));
            foreach (var q in r.Qualifications) html.Append("<br>").Append(E(q));
            foreach (var f in r.FailedChecks) html.Append("<br>did not hold: <code>").Append(E(f)).Append("</code>");
            if (r.Unstable is not null) html.Append("<br><i>").Append(E(r.Unstable)).Append("</i>");
            html.Append("</td><td>");
            foreach (var (scenario, path) in r.Reports) html.Append("<a href=\"").Append(E(path)).Append("\">").Append(E(scenario)).Append("</a><br>");
            if (r.WallTimeText is { } wall) html.Append(E(wall)).Append("<br>");
            foreach (var chart in r.ChartPaths ?? [])
            {
                var (page, thumbnail) = ChartLinks(chart);
                html.Append("<a class=\"chart\" href=\"").Append(E(page)).Append("\"><img class=\"thumb\" src=\"").Append(E(thumbnail))
                    .Append("\" alt=\"key chart of ").Append(E(r.Claim.Id)).Append(" (").Append(E(Path.GetFileNameWithoutExtension(chart))).Append(")\" loading=\"lazy\">chart</a><br>");
            }

            foreach (var b in r.BenchmarkPaths ?? []) html.Append("<a href=\"").Append(E(b)).Append("\">").Append(E(BenchLabel(b))).Append("</a><br>");
            html.Append("</td></tr>\n");
        }

        html.Append("</table>\n<h2>What the verdicts mean</h2>\n<dl>");
        foreach (var (word, meaning) in Verdicts.Legend) html.Append("<dt>").Append(E(word)).Append("</dt><dd>").Append(E(meaning)).Append("</dd>");
        html.Append("</dl>\n<p>").Append(E(NumbersNote)).Append("</p>\n<h2>Sources</h2>\n<ul>");
        foreach (var s in SourceDocument.All)
        {
            html.Append("<li>").Append(E(s.Id)).Append(": <a href=\"").Append(E(s.Url)).Append("\">").Append(E(s.Title)).Append("</a>, ").Append(E(s.Publisher)).Append("</li>");
        }

        return html.Append("</ul>\n</body></html>\n").ToString();
    }

    /// <summary>How to read a measured number, for the page's legend.</summary>
    public const string NumbersNote =
        "Each measured number is the median over the repetitions, followed by [min–max] when they differed; a latency the client's timeout cut off "
        + "reads as \"> 8 s (95 % timed out)\". The wall time is the scenario's, start to end, every variant and repetition.";

    /// <summary><c>claims.json</c>: the same rows for tools (and the CI smoke test).</summary>
    public static string Json(IReadOnlyList<ClaimRow> rows, string title, string machine)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var file = new ClaimsFile(ClaimsFile.CurrentFormatVersion, title, machine, [.. rows.Select(r => new ClaimFileRow(
            r.Claim.Id, r.Verdict, r.Stability, r.Unstable, r.Effect, r.Says, r.Measured, r.Qualifications, r.FailedChecks,
            [.. r.Reports.Select(x => x.ReportPath)], r.ChartPaths ?? [], r.BenchmarkPaths ?? []) { WallTimeS = r.WallTimeS })]);
        return JsonSerializer.Serialize(file, RunManifest.Json) + "\n";
    }

    /// <summary>"bench.md#cpuboundcallbenchmarks" → "benchmark: cpuboundcall".</summary>
    private static string BenchLabel(string link) =>
        "benchmark: " + link[(link.LastIndexOf('#') + 1)..].Replace("benchmarks", "", StringComparison.Ordinal);

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}

/// <summary><c>claims.json</c>, read back through the same records.</summary>
public sealed record ClaimsFile(int FormatVersion, string Title, string Machine, IReadOnlyList<ClaimFileRow> Claims)
{
    public const int CurrentFormatVersion = 2;

    public static ClaimsFile Read(string path) =>
        JsonSerializer.Deserialize<ClaimsFile>(File.ReadAllText(path), RunManifest.Json) ?? throw new InvalidDataException($"{path} is empty.");
}

public sealed record ClaimFileRow(
    string Id, string Verdict, string? Stability, string? Unstable, string? Effect, string Says, string Measured,
    IReadOnlyList<string> Qualifications, IReadOnlyList<string> FailedChecks, IReadOnlyList<string> Reports,
    IReadOnlyList<string> Charts, IReadOnlyList<string> Benchmarks)
{
    /// <summary>Wall-clock seconds the claim's scenarios took (run.json's start to end); absent when unknown or in an older file.</summary>
    public double? WallTimeS { get; init; }
}
