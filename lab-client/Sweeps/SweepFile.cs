using System.Text.Json;
using Lab.Client.Recording;

namespace Lab.Client.Sweeps;

/// <summary>
/// <c>sweep.json</c>: the plan and the progress of a sweep — the scenario as given, the overrides, every cell with its
/// values, its status and its run folder, and the model's calibration. Rewritten atomically after each cell, so an
/// interrupted sweep is resumed by running it again into the same folder: complete cells are kept.
/// </summary>
public sealed class SweepFile
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "sweep.json";

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Scenario { get; init; }
    public required string ScenarioFile { get; init; }

    /// <summary>The scenario's text when the sweep began: a resume with a changed file is refused (its cells would not compare).</summary>
    public required string ScenarioText { get; init; }

    /// <summary>The scenario's description with the base values filled in.</summary>
    public string Description { get; init; } = "";

    /// <summary>The scenario's parameter values before any cell's (declared, --set, built-in).</summary>
    public IReadOnlyDictionary<string, double> BaseParameters { get; init; } = new Dictionary<string, double>();

    /// <summary>The grid, the objective and the model, as read when the sweep began.</summary>
    public required SweepSpec Spec { get; init; }

    public required IReadOnlyDictionary<string, string> Overrides { get; init; }
    public required int Repeat { get; init; }
    public double Scale { get; init; } = 1;
    public required List<SweepCellState> Cells { get; init; }
    public SweepCalibration? Calibration { get; set; }
    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? EndedUtc { get; set; }
    public string Status { get; set; } = RunStatus.Running;

    public void Save(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, RunManifest.Json));
        File.Move(temp, path, overwrite: true);
    }

    public static SweepFile? TryRead(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        var file = JsonSerializer.Deserialize<SweepFile>(File.ReadAllText(path), RunManifest.Json) ?? throw new InvalidDataException($"{path} is empty.");
        return file.FormatVersion == CurrentFormatVersion ? file
            : throw new InvalidDataException($"{path} has format version {file.FormatVersion}; this lab reads version {CurrentFormatVersion}.");
    }
}

/// <summary>One cell's values, and how far it got.</summary>
public sealed class SweepCellState
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required List<SweepValue> Values { get; init; }

    /// <summary>pending, complete, incomplete (the run did not complete), invalid (the values break the scenario's rules), running.</summary>
    public string Status { get; set; } = "pending";
    public string? Reason { get; set; }

    /// <summary>The cell's run folder, relative to the sweep folder.</summary>
    public string? Run { get; set; }

    /// <summary>The model's prediction for the judged variant, made before the cell ran.</summary>
    public CellModel? Model { get; set; }
}

public sealed record SweepValue(string Name, string Value);

/// <summary>
/// The pool's injection rates the model uses, threads per second beyond the minimum while work waits: for a
/// thread blocked in a socket call and for one blocked on a Task (which the pool compensates for faster);
/// measured in a calibration run on this machine (<see cref="Run"/>), or assumed and said so.
/// </summary>
public sealed record SweepCalibration(double BlockingPerS, double BlockingTaskPerS, string Source, string? Run)
{
    public double For(string style) => style == "blockingTask" ? BlockingTaskPerS : BlockingPerS;
}
