using System.CommandLine;
using System.Globalization;
using Lab.Client.Reports;
using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary><c>compare &lt;run-a&gt; &lt;run-b&gt;</c>: % deltas per variant and metric, and overlaid charts.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("run-a") { Description = "The baseline run folder." };
        var b = new Argument<string>("run-b") { Description = "The run to compare with it." };
        var output = new Option<string?>("--out") { Description = "Results root for the comparison folder (default: the repository's results/)." };
        var command = new Command("compare", "Compare two runs: a table of % changes per variant and metric, and overlaid charts.") { a, b, output };
        command.SetAction(parse => Run(parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(output), Console.Out));
        return command;
    }

    public static int Run(string runA, string runB, string? outRoot, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var f in new[] { runA, runB })
        {
            if (!File.Exists(Path.Combine(f, "run.json")))
            {
                Console.Error.WriteLine($"{f}: not a run folder (it has no run.json).");
                return ExitCodes.BadArguments;
            }
        }

        var comparison = new Comparison(RunReport.Build(runA), RunReport.Build(runB));
        if (comparison.SharedVariants.Count == 0)
        {
            Console.Error.WriteLine("The two runs have no variant in common: nothing to compare.");
            return ExitCodes.BadArguments;
        }

        var name = $"compare-{comparison.A.Run.ScenarioName}-vs-{comparison.B.Run.ScenarioName}";
        var folder = RunFolder.Create(outRoot ?? ClientPaths.DefaultResultsRoot(), name, DateTimeOffset.UtcNow);
        var svgs = ChartFiles.Write(folder, comparison.Charts());
        File.WriteAllText(Path.Combine(folder, "compare.md"), comparison.Markdown());
        File.WriteAllText(Path.Combine(folder, "compare.html"), comparison.Html(svgs));

        output.WriteLine($"{"variant",-16} {"metric",-24} {"A",12} {"B",12} {"change",10}");
        foreach (var r in comparison.Rows())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Variant,-16} {r.Label,-24} {RunReport.Format(r.A),12} {RunReport.Format(r.B),12} {r.Delta,10}"));
        }

        output.WriteLine($"comparison: {Path.Combine(folder, "compare.html")}");
        return ExitCodes.Ok;
    }
}
