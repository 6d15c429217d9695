using System.CommandLine;
using System.Globalization;
using Lab.Client.Load;
using Lab.Client.Scenarios;

namespace Lab.Client.Commands;

/// <summary><c>validate &lt;file…&gt;</c>: checks scenario files without running anything; lists every error.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("scenario") { Description = "Scenario files (YAML) to check.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check scenario files: every error with file, line, field path, what was found and what was expected.") { files };
        command.SetAction(parse => Run(parse.GetValue(files) ?? [], Console.Out, Console.Error));
        return command;
    }

    public static int Run(IEnumerable<string> files, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        var (scenarios, problems) = LoadAll(files);
        foreach (var s in scenarios)
        {
            var arrivals = s.Variants.Where(v => v.Load.Model == LoadModel.Open).Sum(v => Schedule.Count(v.Load, s.Client.Seed));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ok   {s.SourcePath}: {s.Name} [{string.Join(", ", s.Claims)}], {s.Variants.Count} variants, {s.Checks.Count} checks, {s.Variants.Sum(v => v.Load.DurationS):0.#} s of load, {arrivals} scheduled arrivals"));
        }

        foreach (var e in problems) errors.WriteLine(e);
        if (problems.Count > 0) errors.WriteLine($"{problems.Count} error(s).");
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.BadArguments;
    }

    /// <summary>Loads every file, collecting every error of every file.</summary>
    public static (List<Scenario> Scenarios, List<ScenarioError> Errors) LoadAll(IEnumerable<string> files)
    {
        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioError>();
        foreach (var file in files)
        {
            try
            {
                scenarios.Add(ScenarioLoader.Load(file));
            }
            catch (ScenarioException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return (scenarios, errors);
    }
}
