using System.Text.Json;
using Lab.Client.Recording;
using System.CommandLine;
using Lab.Client.Reports;

namespace Lab.Client.Commands;

/// <summary><c>report &lt;run-dir&gt;</c>: (re)generates every report file of a run from its data.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("run-dir") { Description = "Run folders (results/<timestamp>-<scenario>) or sweep folders to report on.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("report", "Regenerate a run's report files (charts, report.html, summary.md, timeseries.csv, summary.json) from its data, or a sweep's (sweep.md, sweep.html, sweep.csv).") { folders };
        command.SetAction(parse => Run(parse.GetValue(folders) ?? [], Console.Out));
        return command;
    }

    public static int Run(IEnumerable<string> folders, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(output);
        var code = ExitCodes.Ok;
        foreach (var folder in folders)
        {
            if (File.Exists(Path.Combine(folder, Sweeps.SweepFile.FileName)))
            {
                var sweep = Sweeps.SweepReport.Build(Path.GetFullPath(folder));
                Sweeps.SweepWriters.WriteAll(sweep);
                output.WriteLine($"  sweep report: {Path.Combine(sweep.Folder, "sweep.html")}");
                code = Math.Max(code, sweep.Complete ? ExitCodes.Ok : ExitCodes.RunFailed);
                continue;
            }

            var resolved = Resolve(folder);
            if (resolved is null)
            {
                Console.Error.WriteLine($"{folder}: not a run folder (no run.json there or under results/).");
                code = ExitCodes.BadArguments;
                continue;
            }

            MarkCutOff(resolved);
            code = Math.Max(code, Print(ReportWriter.Write(resolved), output));
        }

        return code;
    }

    /// <summary>
    /// A run whose client was killed stays "running" in run.json until someone looks: the first report that finds
    /// the writer gone records it there (status incomplete, with the reason), so every later reader agrees.
    /// </summary>
    private static void MarkCutOff(string folder)
    {
        RunManifest manifest;
        try
        {
            manifest = RunManifest.Read(folder);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException)
        {
            return; // the report says what is wrong with the file
        }

        if (ClientProcess.GoneReason(manifest) is not { } reason) return;
        manifest.Status = RunStatus.Incomplete;
        manifest.Complete = false;
        manifest.Reasons.Add(reason);
        manifest.Save(folder);
    }

    /// <summary>Prints the verdicts and where the report is; returns the exit code the run deserves.</summary>
    public static int Print(RunReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var v in report.Verdicts)
        {
            output.WriteLine($"  {(v.Passed ? "pass" : "FAIL")}  {v.Expression}    [{v.Problem ?? v.Substituted}]");
        }

        output.WriteLine($"  report: {Path.Combine(report.Run.Folder, "report.html")}");
        return !report.Run.Complete ? ExitCodes.RunFailed : report.ChecksPassed ? ExitCodes.Ok : ExitCodes.ChecksFailed;
    }

    private static string? Resolve(string folder)
    {
        if (File.Exists(Path.Combine(folder, "run.json"))) return Path.GetFullPath(folder);
        var underResults = Path.Combine(ClientPaths.DefaultResultsRoot(), folder);
        return File.Exists(Path.Combine(underResults, "run.json")) ? underResults : null;
    }
}
