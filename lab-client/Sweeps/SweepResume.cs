using System.Text.Json;

namespace Lab.Client.Sweeps;

/// <summary>A sweep begun before, to continue: its file, its folder, the scenario path to plan from, and how it was named.</summary>
public sealed record SweepContinuation(SweepFile File, string Folder, string ScenarioPath, bool ByResume)
{
    /// <summary>"Continuing the sweep in …: 1 of 2 cells measured, 1 to run." — said before anything runs.</summary>
    public string Announcement
    {
        get
        {
            var runnable = File.Cells.Count(c => c.Status != SweepRunner.Invalid);
            var done = File.Cells.Count(c => c.Status == SweepRunner.Complete);
            var how = ByResume ? "--resume" : "the same scenario text into the folder of a sweep begun from it";
            return $"Continuing the sweep in {Folder} ({how}): {done} of {runnable} cells already measured and kept, {runnable - done} to run.";
        }
    }
}

/// <summary>
/// Which sweep a <c>sweep</c> command continues. <c>--resume &lt;folder&gt;</c> names it; and, as the issue asks of a
/// resumable sweep, running the same sweep into the same folder — <c>sweep x.yaml --out &lt;its folder&gt;</c> — continues it
/// too. A folder without <c>sweep.json</c> is a results root, where a new sweep gets a folder of its own. Either way a
/// sweep whose scenario text changed is refused: its cells would not compare.
/// </summary>
public static class SweepResume
{
    /// <returns>The sweep to continue (null: start a new one), or the error that refuses the command.</returns>
    public static (SweepContinuation? Continuation, string? Error) Resolve(string? path, IReadOnlyDictionary<string, string>? overrides, int? repeat, double scale, string? resume, string? outDir)
    {
        if (resume is not null) return FromResume(path, overrides, repeat, scale, resume);
        if (outDir is null || !System.IO.File.Exists(Path.Combine(outDir, SweepFile.FileName))) return (null, null);

        var folder = Path.GetFullPath(outDir);
        var (existing, error) = Read(folder, $"--out {outDir}");
        if (existing is null) return (null, error);
        path ??= existing.ScenarioFile;
        if (!System.IO.File.Exists(path)) return (null, $"--out {outDir} holds a sweep of {existing.ScenarioFile}, and {path} is not there.");
        if (System.IO.File.ReadAllText(path) != existing.ScenarioText)
        {
            return (null, $"--out {outDir} holds a sweep of {existing.ScenarioFile} begun from a different scenario text than {path} has now; its cells would not compare. "
                + "Give --out a results folder (a new sweep gets a folder of its own there), or restore the scenario to continue it.");
        }

        // The options the sweep began with are its own: given again they must agree, left out they are kept.
        var differs = new List<string>();
        if (overrides is { Count: > 0 } && !SameOverrides(overrides, existing.Overrides)) differs.Add($"--set {Show(overrides)} (it has {Show(existing.Overrides)})");
        if (repeat is { } r && r != existing.Repeat) differs.Add($"--repeat {r} (it has {existing.Repeat})");
        if (scale != 1 && scale != existing.Scale) differs.Add($"--scale {scale} (it has {existing.Scale})");
        if (differs.Count > 0)
        {
            return (null, $"--out {outDir} holds this sweep, begun with other options: {string.Join("; ", differs)}. Drop them to continue it with its own, or give --out a results folder for a new sweep.");
        }

        return (new SweepContinuation(existing, folder, path, ByResume: false), null);
    }

    private static (SweepContinuation?, string?) FromResume(string? path, IReadOnlyDictionary<string, string>? overrides, int? repeat, double scale, string resume)
    {
        var folder = Path.GetFullPath(resume);
        var (existing, error) = Read(folder, $"--resume {resume}");
        if (existing is null) return (null, error ?? $"--resume {resume}: no {SweepFile.FileName} there; give the folder of a sweep that was started.");
        if (path is not null && Path.GetFullPath(path) != existing.ScenarioFile) return (null, $"--resume: that sweep ran {existing.ScenarioFile}, not {path}; give only the folder.");
        if (overrides is { Count: > 0 } || repeat is not null || scale != 1) return (null, "--resume keeps the sweep's own --set, --repeat and --scale (in sweep.json); drop them, or start a new sweep.");
        if (!System.IO.File.Exists(existing.ScenarioFile)) return (null, $"--resume: {existing.ScenarioFile}, the sweep's scenario, is gone.");
        if (System.IO.File.ReadAllText(existing.ScenarioFile) != existing.ScenarioText)
        {
            return (null, $"--resume: {existing.ScenarioFile} changed since the sweep began; its cells would not compare. Start a new sweep (or restore the file).");
        }

        return (new SweepContinuation(existing, folder, existing.ScenarioFile, ByResume: true), null);
    }

    private static (SweepFile?, string?) Read(string folder, string what)
    {
        try
        {
            return (SweepFile.TryRead(folder), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException)
        {
            return (null, $"{what}: {ex.Message}");
        }
    }

    private static bool SameOverrides(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Show(IReadOnlyDictionary<string, string> o) =>
        o.Count == 0 ? "none" : string.Join(" ", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
