using System.CommandLine;
using System.Globalization;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Client.Sweeps;

namespace Lab.Client.Commands;

/// <summary>
/// <c>sweep &lt;scenario&gt;</c>: runs a scenario once per cell of its <c>sweep:</c> grid into
/// <c>results/&lt;timestamp&gt;-sweep-&lt;scenario&gt;/</c>, with sweep.md / sweep.html / sweep.csv on top;
/// the same sweep with <c>--out</c> its folder (or <c>--resume &lt;folder&gt;</c>) finishes an interrupted one, <c>--dry-run</c>
/// shows the plan and the model's predictions.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<string?>("scenario") { Description = "A scenario with a sweep: section (scenarios/sweeps/).", Arity = ArgumentArity.ZeroOrOne };
        file.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.StartsWith('-'))) r.AddError($"unknown option {token.Value} (run with --help for the options).");
        });
        var set = ScenarioOptions.Set();
        var repeat = ScenarioOptions.Repeat();
        var scale = new Option<double>("--scale") { Description = "Multiply every phase's duration by this (a quick look); rates unchanged.", DefaultValueFactory = _ => 1.0 };
        scale.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && v is < 0.05 or > 10) r.AddError($"--scale must be from 0.05 to 10, found {v}.");
        });
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the cells, which are invalid and why, the time it would take and the model's predictions; run nothing." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Refuse a plan estimated longer than this (default: the sweep's maxMinutes:)." };
        var resume = new Option<string?>("--resume") { Description = "A sweep folder to finish: its complete cells are kept, the others run." };
        var output = new Option<string?>("--out") { Description = "Results root (default: the repository's results/); or the folder of a sweep begun from the same scenario text, to continue it." };
        var progress = new Option<string>("--progress") { Description = "auto, live, plain or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
        var command = new Command("sweep", "Run a scenario across a grid of parameters and server knobs: every metric against the knobs, the model beside the measurement, a recommendation.")
        {
            file, set, repeat, scale, dryRun, maxMinutes, resume, output, progress,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(file), parse.GetValue(set) ?? [], parse.GetValue(repeat), parse.GetValue(scale), parse.GetValue(dryRun),
            parse.GetValue(maxMinutes), parse.GetValue(resume), parse.GetValue(output), parse.GetValue(progress)!, Console.Out, ct));
        return command;
    }

    public static async Task<int> RunAsync(string? path, string[] set, int? repeat, double scale, bool dryRun, double? maxMinutes, string? resume, string? outDir,
        string progressMode, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (given, setError) = ScenarioOptions.ParseSet(set);
        if (setError is not null) return await Fail(setError);
        var (continuation, resumeError) = SweepResume.Resolve(path, given, repeat, scale, resume, outDir);
        if (resumeError is not null) return await Fail(resumeError);
        var existing = continuation?.File;
        var folder = continuation?.Folder;
        path = continuation?.ScenarioPath ?? path;
        if (path is null) return await Fail("Give a scenario with a sweep: section (e.g. scenarios/sweeps/c3-queue-limits.yaml), or --resume <sweep folder>.");
        var overrides = existing is not null ? new Dictionary<string, string>(existing.Overrides) : given!;
        if (continuation is not null) await output.WriteLineAsync(continuation.Announcement);

        SweepPlanned plan;
        try
        {
            plan = SweepRunner.Plan(path, overrides, existing?.Repeat ?? repeat, existing?.Scale ?? scale);
        }
        catch (ScenarioException ex)
        {
            foreach (var e in ex.Errors) await Console.Error.WriteLineAsync(e.ToString());
            if (ex.Errors.Count == 0) await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.BadArguments;
        }
        catch (FileNotFoundException ex)
        {
            return await Fail(ex.Message);
        }

        var remaining = existing is null ? plan.Minutes
            : plan.Runnable.Where(c => existing.Cells.First(s => s.Index == c.Cell.Index).Status != SweepRunner.Complete).Sum(c => SweepPlan.EstimateMinutes(c.Scenario!, 1, plan.Repeat));
        await output.WriteLineAsync(SweepPlan.Describe(plan.Scenario, [.. plan.Cells.Select(c => c.Cell)], plan.Repeat, remaining)
            + (plan.Cells.Count(c => c.Scenario is null) is var invalid and > 0 ? $" ({invalid} cell{(invalid == 1 ? "" : "s")} invalid, not run)" : ""));
        foreach (var c in plan.Cells.Where(c => c.Scenario is null)) await output.WriteLineAsync($"  {c.Cell.Id} {c.Cell.Label}: invalid — {c.Invalid}");

        if (dryRun)
        {
            var preview = SweepRunner.NewFile(plan, overrides, scale);
            preview.Calibration = existing?.Calibration;
            SweepRunner.Predict(preview, plan);
            await DryRun(plan, preview, output);
            return ExitCodes.Ok;
        }

        var limit = maxMinutes ?? plan.Spec.MaxMinutes;
        if (remaining > limit)
        {
            return await Fail(SweepPlan.OverLimit(remaining, limit, maxMinutes is not null));
        }

        if (plan.Runnable.Select(c => ScenarioOptions.TooLarge(c.Scenario!, plan.Repeat)).OfType<string>().FirstOrDefault() is { } large)
        {
            return await Fail(large + " A sweep does not run cells that large.");
        }

        var root = Path.GetFullPath(outDir ?? ClientPaths.DefaultResultsRoot());
        folder ??= RunFolder.Create(root, $"sweep-{plan.Scenario.Name}", DateTimeOffset.UtcNow);
        var file = existing ?? SweepRunner.NewFile(plan, overrides, scale);
        var sink = RunCommand.Sink(progressMode);
        SweepReport? report = null;
        await sink.RunAsync(async () =>
        {
            var runner = new SweepRunner(new RunOptions { ResultsRoot = folder, CommandLine = Environment.CommandLine, Repeat = plan.Repeat }, sink);
            report = await runner.RunAsync(folder, file, plan, ct);
        });

        await output.WriteLineAsync();
        foreach (var line in SweepWriters.Lines(report!)) await output.WriteLineAsync(line);
        await output.WriteLineAsync("Recommendation: " + SweepWriters.RecommendationText(report!).Replace("**", "", StringComparison.Ordinal));
        if (SweepWriters.FitSummary(report!) is { Length: > 0 } fit) await output.WriteLineAsync(fit);
        await output.WriteLineAsync($"sweep report: {Path.Combine(folder, "sweep.html")}");
        if (!report!.Complete) await output.WriteLineAsync($"INCOMPLETE: run the same sweep into this folder to continue it (./run-lab.sh sweep {file.ScenarioFile} --out {folder}), or ./run-lab.sh sweep --resume {folder}");
        return report.Complete ? ExitCodes.Ok : ExitCodes.RunFailed;
    }

    private static async Task DryRun(SweepPlanned plan, SweepFile preview, TextWriter output)
    {
        var calibration = preview.Calibration ?? (plan.Spec.Model is { Style: not "awaiting" } ? SweepRunner.Assumed : null);
        if (plan.Spec.Model is { } m)
        {
            await output.WriteLineAsync($"Model ({m.Style}): predictions below{(calibration is null ? "" : $", with the injection rate {calibration.Source}; a real sweep measures it first")}.");
        }

        await output.WriteLineAsync($"{"cell",-8} {"values",-44} {"minutes",8}  {string.Join("  ", SweepReport.ModelMetrics)}");
        foreach (var c in plan.Cells)
        {
            var state = preview.Cells.First(s => s.Index == c.Cell.Index);
            var minutes = c.Scenario is null ? "invalid" : SweepPlan.EstimateMinutes(c.Scenario, 1, plan.Repeat).ToString("0.0", CultureInfo.InvariantCulture);
            var model = state.Model is null ? "" : string.Join("  ", SweepReport.ModelMetrics.Select(x => Show(state.Model.Predicted.GetValueOrDefault(x, double.NaN), x)));
            await output.WriteLineAsync($"{c.Cell.Id,-8} {c.Cell.Label,-44} {minutes,8}  {model}");
        }
    }

    private static string Show(double v, string metric) =>
        metric.StartsWith("share.", StringComparison.Ordinal) && double.IsFinite(v) ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : Reports.RunReport.Format(v);

    private static async Task<int> Fail(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return ExitCodes.BadArguments;
    }
}
