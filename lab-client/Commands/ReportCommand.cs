using System.CommandLine;
using Lab.Client.Reports;

namespace Lab.Client.Commands;

/// <summary><c>report &lt;run-dir&gt;</c>: (re)generates every report file of a run from its data.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("run-dir") { Description = "Run folders (results/<timestamp>-<scenario>) to report on.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("report", "Regenerate charts, report.html, summary.md, timeseries.csv and summary.json from a run's data.") { folders };
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
            var resolved = Resolve(folder);
            if (resolved is null)
            {
                Console.Error.WriteLine($"{folder}: not a run folder (no run.json there or under results/).");
                code = ExitCodes.BadArguments;
                continue;
            }

            code = Math.Max(code, Print(ReportWriter.Write(resolved), output));
        }

        return code;
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
