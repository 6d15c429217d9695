using System.Globalization;
using Lab.Client.Commands;
using Lab.Client.Progress;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Client.Scenarios;

namespace Lab.Client.Sweeps;

/// <summary>What a sweep will run: the scenario, its cells made concrete, and the estimate.</summary>
public sealed record SweepPlanned(Scenario Scenario, SweepSpec Spec, IReadOnlyList<SweepCellScenario> Cells, int Repeat, double Minutes)
{
    public IEnumerable<SweepCellScenario> Runnable => Cells.Where(c => c.Scenario is not null);
}

/// <summary>
/// Runs a sweep: the calibration its model needs, then every cell not yet complete — each a whole scenario run
/// (backend, a fresh server per variant and repetition) into <c>cells/cell-NN/</c> — saving <c>sweep.json</c> and
/// the report after every cell, so an interrupted sweep leaves a report marked incomplete and is resumed by running
/// it again on the same folder.
/// </summary>
public sealed class SweepRunner(RunOptions options, IProgressSink progress)
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";
    public const string Invalid = "invalid";
    public const string Interrupted = "interrupted";

    /// <summary>
    /// Used only when the calibration run could not measure a rate: the runtime's starvation gate adds a thread at
    /// most every 500 ms and in practice about every second for threads blocked in the OS; for threads blocked on a
    /// Task it adds them about four times as fast (PortableThreadPool, measured on .NET 8–10).
    /// </summary>
    public static readonly SweepCalibration Assumed = new(1, 4, "assumed (not measured here): about 1 thread/s for a blocking call, 4/s for a blocked Task, the runtime's usual pace", null);

    public static SweepPlanned Plan(string path, IReadOnlyDictionary<string, string> overrides, int? repeat, double scale)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var scenario = ScenarioLoader.Load(path, overrides: overrides, scale: scale);
        if (scenario.Sweep is not { } spec)
        {
            throw new ScenarioException($"{path}: {scenario.Name} has no sweep: section — run it with ./run-lab.sh run, or add sweep: {{ grid: {{ name: [values] }} }} (scenarios/README.md).");
        }

        var cells = SweepPlan.Cells(spec).Select(c => SweepCellScenario.Build(path, spec, c, overrides, scale)).ToList();
        var reps = scenario.Repetitions(repeat);
        var minutes = cells.Where(c => c.Scenario is not null).Sum(c => SweepPlan.EstimateMinutes(c.Scenario!, 1, reps));
        if (NeedsCalibration(spec, scenario)) minutes += CalibrationMinutes();
        return new SweepPlanned(scenario, spec, cells, reps, minutes);
    }

    public static bool NeedsCalibration(SweepSpec spec, Scenario scenario) =>
        spec.Model is { Style: not "awaiting" } && scenario.Variants.Any(v => v.Load.Model == LoadModel.Open);

    private static double CalibrationMinutes() =>
        CalibrationFile() is { } f ? SweepPlan.EstimateMinutes(ScenarioLoader.Load(f), 1, 1) : 0;

    private static string? CalibrationFile() =>
        ClientPaths.RepositoryScenarios().FirstOrDefault(f => Path.GetFileName(f) == "calibrate-injection.yaml");

    /// <summary>A new sweep.json for the plan, every runnable cell pending and the others invalid with the reason.</summary>
    public static SweepFile NewFile(SweepPlanned plan, IReadOnlyDictionary<string, string> overrides, double scale)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new SweepFile
        {
            Scenario = plan.Scenario.Name,
            ScenarioFile = Path.GetFullPath(plan.Scenario.SourcePath),
            ScenarioText = plan.Scenario.SourceText,
            Description = ScenarioLoader.FillFormulas(plan.Scenario.Description, Parameters(plan.Scenario)),
            BaseParameters = Parameters(plan.Scenario),
            Spec = plan.Spec,
            Overrides = overrides,
            Repeat = plan.Repeat,
            Scale = scale,
            Cells = [.. plan.Cells.Select(c => new SweepCellState
            {
                Index = c.Cell.Index,
                Id = c.Cell.Id,
                Values = [.. c.Cell.Values.Select(v => new SweepValue(v.Name, v.Value))],
                Status = c.Scenario is null ? Invalid : Pending,
                Reason = c.Invalid,
            })],
        };
    }

    private static Dictionary<string, double> Parameters(Scenario scenario) =>
        scenario.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    public async Task<SweepReport> RunAsync(string folder, SweepFile file, SweepPlanned plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(plan);
        file.Status = Running;
        file.EndedUtc = null;
        file.Save(folder);
        try
        {
            if (file.Calibration is null && plan.Spec.Model is { } model)
            {
                file.Calibration = model.Style == "awaiting" ? null : await CalibrateAsync(folder, ct);
                file.Save(folder);
            }

            Predict(file, plan);
            file.Save(folder);
            var todo = file.Cells.Where(c => c.Status is not (Complete or Invalid)).OrderBy(c => c.Index).ToList();
            var done = file.Cells.Count(c => c.Status == Complete);
            foreach (var state in todo)
            {
                if (ct.IsCancellationRequested) break;
                var cell = plan.Cells.First(c => c.Cell.Index == state.Index);
                progress.Message($"sweep {file.Scenario}: {state.Id} ({cell.Cell.Label}) — cell {done + 1} of {file.Cells.Count(c => c.Status != Invalid)}");
                state.Status = Running;
                file.Save(folder);
                var cellRoot = Path.Combine(folder, "cells", state.Id);
                var result = await new Orchestrator(options with { ResultsRoot = cellRoot }, progress).RunAsync(cell.Scenario!, ct);
                state.Run = Path.GetRelativePath(folder, result.Folder);
                state.Status = result.Complete ? Complete : ct.IsCancellationRequested ? Interrupted : Incomplete;
                state.Reason = result.Complete ? null : string.Join("; ", result.Reasons.DefaultIfEmpty("the run did not complete"));
                ReportWriter.Write(result.Folder);
                if (state.Status == Complete) done++;
                file.Save(folder);
                SweepWriters.WriteAll(SweepReport.Build(folder));
            }
        }
        finally
        {
            file.Status = ct.IsCancellationRequested ? Interrupted : file.Cells.All(c => c.Status is Complete or Invalid) ? Complete : Incomplete;
            file.EndedUtc = DateTimeOffset.UtcNow;
            foreach (var c in file.Cells.Where(c => c.Status == Running)) c.Status = Interrupted;
            file.Save(folder);
        }

        var report = SweepReport.Build(folder);
        SweepWriters.WriteAll(report);
        return report;
    }

    /// <summary>
    /// Measures the injection rates in a short run of <c>scenarios/calibrate-injection.yaml</c> (its own folder under
    /// the sweep's); when it cannot, the model runs on <see cref="Assumed"/> and the report says so.
    /// </summary>
    private async Task<SweepCalibration> CalibrateAsync(string folder, CancellationToken ct)
    {
        if (CalibrationFile() is not { } file) return Assumed with { Source = Assumed.Source + "; scenarios/calibrate-injection.yaml was not found" };
        progress.Message("sweep: calibrating the thread pool's injection rate for the model (scenarios/calibrate-injection.yaml)");
        // Always lab-server, even when the sweep drives a target: the rate belongs to the runtime on this machine.
        var result = await new Orchestrator(options with { ResultsRoot = Path.Combine(folder, "calibration"), ServerUrl = null, BackendUrl = null, Repeat = 1, TargetPid = null }, progress)
            .RunAsync(ScenarioLoader.Load(file), ct);
        var report = ReportWriter.Write(result.Folder);
        var run = Path.GetRelativePath(folder, result.Folder);
        double Rate(string variant) => report.Variants.FirstOrDefault(v => v.Name == variant)?.Median("run.injection.rate") ?? double.NaN; // the model grows the pool over the whole run
        var (blocking, task) = (Rate("blocking"), Rate("blockingTask"));
        if (!result.Complete || !double.IsFinite(blocking) || !double.IsFinite(task) || blocking <= 0 || task <= 0)
        {
            return Assumed with { Source = Assumed.Source + $"; the calibration run did not measure both ({run})", Run = run };
        }

        return new SweepCalibration(blocking, task, string.Create(CultureInfo.InvariantCulture,
            $"measured in {run}: {blocking:0.##} threads/s blocked in a socket call, {task:0.##} threads/s blocked on a Task"), run);
    }

    /// <summary>The model's predictions for every runnable cell, made before it runs (and so before its result is known).</summary>
    public static void Predict(SweepFile file, SweepPlanned plan)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Spec.Model is not { } model) return;
        var rate = file.Calibration?.For(model.Style) ?? Assumed.For(model.Style);
        foreach (var state in file.Cells.Where(c => c.Model is null))
        {
            var cell = plan.Cells.First(c => c.Cell.Index == state.Index);
            if (cell.Scenario is not { } scenario) continue;
            var variant = scenario.Variants.FirstOrDefault(v => v.Name == plan.Spec.Objective?.Variant) ?? scenario.Variants[0];
            if (SweepCellScenario.ModelInput(scenario, variant, model, rate) is not { } input) continue;
            state.Model = new CellModel(
                QueueModel.Predict(input).Metrics,
                QueueModel.Predict(SweepCellScenario.ModelInput(scenario, variant, model, rate, rateFactor: 2)!).Metrics,
                QueueModel.Predict(SweepCellScenario.ModelInput(scenario, variant, model, rate, delayFactor: 2)!).Metrics);
        }
    }
}
