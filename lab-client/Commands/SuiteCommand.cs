using System.CommandLine;
using System.Globalization;
using Lab.Client.Bench;
using Lab.Client.Claims;
using Lab.Client.Progress;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Client.Scenarios;

namespace Lab.Client.Commands;

/// <summary>
/// <c>suite</c>: runs the claims suite (quick by default, <c>--all</c> for everything) into one folder,
/// <c>results/&lt;timestamp&gt;-suite/</c>, with each scenario's run inside it and <c>claims.md</c> /
/// <c>claims.html</c> on top: one row per claim with its computed verdict.
/// </summary>
public static class SuiteCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Run the full suite (every claim), not just the quick one." };
        var scale = new Option<double>("--scale") { Description = "Multiply every phase's duration by this (e.g. 0.3 for a smoke test); rates unchanged.", DefaultValueFactory = _ => 1.0 };
        scale.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (v is < 0.05 or > 10) r.AddError($"--scale must be from 0.05 to 10, found {v}.");
        });
        var output = new Option<string?>("--out") { Description = "Results root (default: the repository's results/)." };
        var progress = new Option<string>("--progress") { Description = "auto, live, plain or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
        var command = new Command("suite", "Run the claims suite and write claims.md / claims.html with a computed verdict per claim.") { all, scale, output, progress };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(all), parse.GetValue(scale), parse.GetValue(output), parse.GetValue(progress)!, ct));
        return command;
    }

    public static async Task<int> RunAsync(bool all, double scale, string? outDir, string progressMode, CancellationToken ct)
    {
        var files = ClientPaths.RepositoryScenarios();
        var (scenarios, errors) = ValidateCommand.LoadAll(files);
        if (errors.Count > 0)
        {
            foreach (var e in errors) await Console.Error.WriteLineAsync(e.ToString());
            return ExitCodes.BadArguments;
        }

        var chosen = scenarios.Where(s => s.Suite == "quick" || (all && s.Suite == "full"))
            .Select(s => ScenarioScaler.Scale(s, scale)).ToList();
        if (chosen.Count == 0)
        {
            await Console.Error.WriteLineAsync("No scenario in scenarios/ belongs to this suite (suite: quick or full).");
            return ExitCodes.BadArguments;
        }

        var root = Path.GetFullPath(outDir ?? ClientPaths.DefaultResultsRoot());
        var folder = RunFolder.Create(root, all ? "suite-full" : "suite-quick", DateTimeOffset.UtcNow);
        var sink = RunCommand.Sink(progressMode);
        var started = DateTimeOffset.UtcNow;
        var runs = new List<(Scenario, RunReport)>();
        var complete = true;
        await sink.RunAsync(async () =>
        {
            var orchestrator = new Orchestrator(new RunOptions { ResultsRoot = folder, CommandLine = Environment.CommandLine }, sink);
            foreach (var s in chosen)
            {
                if (ct.IsCancellationRequested) break;
                var result = await orchestrator.RunAsync(s, ct);
                complete &= result.Complete;
                runs.Add((s, ReportWriter.Write(result.Folder)));
            }
        });

        complete &= runs.Count == chosen.Count;
        var elapsed = DateTimeOffset.UtcNow - started;
        var title = string.Create(CultureInfo.InvariantCulture,
            $"Claims report — {(all ? "full" : "quick")} suite{(scale != 1 ? $" at {scale}× length" : "")}, {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:0.0} min, {Environment.ProcessorCount} cores");
        var rows = ClaimsReport.Rows(runs, folder, BenchLocator.Latest(root));
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.md"), ClaimsReport.Markdown(rows, title), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.html"), ClaimsReport.Html(rows, title), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.json"), ClaimsReport.Json(rows, title), CancellationToken.None);

        Console.WriteLine();
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Claim.Id,-4} {r.Verdict,-32} {r.Measured}");
        }

        Console.WriteLine($"\n{title}\nclaims report: {Path.Combine(folder, "claims.html")}");
        return complete ? ExitCodes.Ok : ExitCodes.RunFailed;
    }
}
