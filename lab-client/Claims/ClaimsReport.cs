using System.Net;
using System.Text;
using Lab.Client.Bench;
using Lab.Client.Reports;
using Lab.Client.Scenarios;

namespace Lab.Client.Claims;

/// <summary>
/// The claims report of a suite: one row per claim — what the document says, what the lab measured, and a
/// verdict computed from the scenarios' checks: every effect check held → reproduced (with qualification
/// when a qualification check held too, its text filled with the numbers); some held → reproduced with
/// qualification, naming what did not; none → not reproduced.
/// </summary>
public static class ClaimsReport
{
    /// <param name="runs">The suite's scenarios and their reports.</param>
    /// <param name="suiteFolder">Where claims.md is written; links are relative to it.</param>
    /// <param name="benchIndex">The newest <c>bench.md</c> (BenchmarkDotNet tables), linked from the claims it bears on; null for none.</param>
    public static IReadOnlyList<ClaimRow> Rows(IReadOnlyList<(Scenario Scenario, RunReport Report)> runs, string suiteFolder, string? benchIndex = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<ClaimRow>();
        foreach (var claim in ClaimCatalog.All)
        {
            var bench = Benchmarks(claim.Id, suiteFolder, benchIndex);
            if (claim.NotApplicable is { } why)
            {
                rows.Add(new ClaimRow(claim, Verdicts.NotApplicable, claim.Title, why, [], [], []));
                continue;
            }

            var mine = runs.Where(r => r.Scenario.Claims.Contains(claim.Id)).ToList();
            if (mine.Count == 0)
            {
                rows.Add(new ClaimRow(claim, Verdicts.NotRun, claim.Title, "no scenario of this suite tests it (see --all)", [], [], [], null, bench));
                continue;
            }

            var verdicts = mine.SelectMany(r => r.Report.Verdicts.Where(v => v.Claim is null || v.Claim == claim.Id)).ToList();
            var effects = verdicts.Where(v => v.Qualifies is null).ToList();
            var qualifications = mine.SelectMany(r => r.Report.Verdicts
                    .Where(v => (v.Claim is null || v.Claim == claim.Id) && v.Qualifies is not null && v.Passed)
                    .Select(v => r.Report.Fill(v.Qualifies!)))
                .ToList();
            var failed = effects.Where(v => !v.Passed).Select(v => $"{v.Expression} [{v.Problem ?? v.Substituted}]").ToList();
            var verdict = mine.Any(r => !r.Report.Run.Complete) ? Verdicts.Inconclusive
                : effects.Count == 0 ? Verdicts.NotRun
                : failed.Count == effects.Count ? Verdicts.NotReproduced
                : failed.Count > 0 || qualifications.Count > 0 ? Verdicts.Qualified
                : Verdicts.Reproduced;
            var says = string.Join(" ", mine.Select(r => r.Scenario.Evidence.TryGetValue(claim.Id, out var e) ? $"{e.Says} [{e.Source}]" : claim.Title).Distinct());
            var measured = string.Join(" ", mine.Select(r => r.Scenario.Evidence.TryGetValue(claim.Id, out var e) ? r.Report.Fill(e.Measured) : "").Where(t => t.Length > 0));
            var reports = mine.Select(r => (r.Scenario.Name, Path.GetRelativePath(suiteFolder, Path.Combine(r.Report.Run.Folder, "report.html")))).ToList();
            var charts = mine.Where(r => r.Scenario.Evidence.ContainsKey(claim.Id))
                .Select(r => Path.GetRelativePath(suiteFolder, Path.Combine(r.Report.Run.Folder, r.Scenario.Evidence[claim.Id].Chart + ".svg"))).ToList();
            rows.Add(new ClaimRow(claim, verdict, says, measured, qualifications, failed, reports, charts, bench));
        }

        return rows;
    }

    /// <summary>Links to the benchmark page, one per benchmark class that bears on the claim (as <c>bench.md#class</c>).</summary>
    private static List<string> Benchmarks(string claim, string suiteFolder, string? benchIndex)
    {
        if (benchIndex is null)
        {
            return [];
        }

        var relative = Path.GetRelativePath(suiteFolder, benchIndex).Replace('\\', '/');
        return [.. BenchIndexWriter.Classes
            .Where(c => c.Value.Claims.Split(", ").Contains(claim))
            .Select(c => $"{relative}#{c.Key.ToLowerInvariant()}")];
    }

    public static string Markdown(IReadOnlyList<ClaimRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var md = new StringBuilder($"# {title}\n\n");
        md.Append("| claim | the document says | the lab measured | verdict | report |\n|---|---|---|---|---|\n");
        foreach (var r in rows)
        {
            var verdict = r.Verdict;
            if (r.Qualifications.Count > 0) verdict += ": " + string.Join("; ", r.Qualifications);
            if (r.FailedChecks.Count > 0) verdict += "; did not hold: " + string.Join("; ", r.FailedChecks.Select(f => $"`{f}`"));
            md.Append("| ").Append(r.Claim.Id).Append(" | ").Append(Cell(r.Says)).Append(" | ").Append(Cell(r.Measured)).Append(" | **").Append(Cell(verdict)).Append("** | ")
                .AppendJoin(" ", r.Reports.Select(x => $"[{x.Scenario}]({x.ReportPath})"))
                .Append(string.Concat((r.ChartPaths ?? []).Select(c => $" · [chart]({c})")))
                .Append(string.Concat((r.BenchmarkPaths ?? []).Select(b => $" · [{BenchLabel(b)}]({b})"))).Append(" |\n");
        }

        return md.ToString();
    }

    public static string Html(IReadOnlyList<ClaimRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:\"Segoe UI\",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1200px;color:#222}table{border-collapse:collapse;font-size:13px}")
            .Append("td,th{border:1px solid #ddd;padding:5px 8px;vertical-align:top}th{background:#f5f7fa;text-align:left}")
            .Append(".reproduced{color:#1a7f37;font-weight:600}.qualified{color:#9a6700;font-weight:600}.not{color:#c62828;font-weight:600}.na{color:#666}</style></head><body>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n<table><tr><th>claim</th><th>the document says</th><th>the lab measured</th><th>verdict</th><th>report</th></tr>\n");
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
                .Append(css).Append("\">").Append(E(r.Verdict)).Append("</span>");
            foreach (var q in r.Qualifications) html.Append("<br>").Append(E(q));
            foreach (var f in r.FailedChecks) html.Append("<br>did not hold: <code>").Append(E(f)).Append("</code>");
            html.Append("</td><td>");
            foreach (var (scenario, path) in r.Reports) html.Append("<a href=\"").Append(E(path)).Append("\">").Append(E(scenario)).Append("</a><br>");
            foreach (var chart in r.ChartPaths ?? []) html.Append("<a href=\"").Append(E(chart)).Append("\">chart</a><br>");
            foreach (var b in r.BenchmarkPaths ?? []) html.Append("<a href=\"").Append(E(b)).Append("\">").Append(E(BenchLabel(b))).Append("</a><br>");
            html.Append("</td></tr>\n");
        }

        return html.Append("</table>\n</body></html>\n").ToString();
    }

    /// <summary><c>claims.json</c>: the same rows for tools (and the CI smoke test).</summary>
    public static string Json(IReadOnlyList<ClaimRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var root = new System.Text.Json.Nodes.JsonObject
        {
            ["title"] = title,
            ["claims"] = new System.Text.Json.Nodes.JsonArray([.. rows.Select(r => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = r.Claim.Id,
                ["verdict"] = r.Verdict,
                ["says"] = r.Says,
                ["measured"] = r.Measured,
                ["qualifications"] = new System.Text.Json.Nodes.JsonArray([.. r.Qualifications.Select(q => (System.Text.Json.Nodes.JsonNode?)q)]),
                ["failedChecks"] = new System.Text.Json.Nodes.JsonArray([.. r.FailedChecks.Select(q => (System.Text.Json.Nodes.JsonNode?)q)]),
                ["reports"] = new System.Text.Json.Nodes.JsonArray([.. r.Reports.Select(x => (System.Text.Json.Nodes.JsonNode?)x.ReportPath)]),
                ["charts"] = new System.Text.Json.Nodes.JsonArray([.. (r.ChartPaths ?? []).Select(x => (System.Text.Json.Nodes.JsonNode?)x)]),
                ["benchmarks"] = new System.Text.Json.Nodes.JsonArray([.. (r.BenchmarkPaths ?? []).Select(x => (System.Text.Json.Nodes.JsonNode?)x)]),
            })]),
        };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>"bench.md#cpuboundcallbenchmarks" → "benchmark: cpuboundcall".</summary>
    private static string BenchLabel(string link) =>
        "benchmark: " + link[(link.LastIndexOf('#') + 1)..].Replace("benchmarks", "", StringComparison.Ordinal);

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
