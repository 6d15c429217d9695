using System.CommandLine;
using System.Globalization;
using Lab.Client.Scenarios;

namespace Lab.Client.Commands;

/// <summary><c>validate &lt;file…&gt;</c>: checks scenario files without running anything; lists every error, and each file's plan.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = ScenarioOptions.Files("Scenario files (YAML) to check.");
        var set = ScenarioOptions.Set(perScenario: true);
        var repeat = ScenarioOptions.Repeat();
        var command = new Command("validate", "Check scenario files: every error with file, line, field path, what was found and what was expected; each file's plan.") { files, set, repeat };
        command.SetAction(parse =>
        {
            var (values, error) = ScenarioOptions.ParseSet(parse.GetValue(set) ?? []);
            if (error is not null)
            {
                Console.Error.WriteLine(error);
                return ExitCodes.BadArguments;
            }

            return Run(parse.GetValue(files) ?? [], Console.Out, Console.Error, values, parse.GetValue(repeat));
        });
        return command;
    }

    /// <summary>
    /// Validates <paramref name="files"/> with <c>--set</c> as the suite takes it: <c>name=value</c> for every file that
    /// declares the parameter (every file when none does, so each says so), <c>scenario:name=value</c> for that
    /// scenario only (an unknown scenario is an error).
    /// </summary>
    public static int Run(IEnumerable<string> files, TextWriter output, TextWriter errors, IReadOnlyDictionary<string, string>? overrides = null, int? repeat = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var list = files.ToList();
        var identities = list.Select(f => (File: f, Id: SetOverrides.Identify(f))).ToList();
        var (perFile, setErrors) = SetOverrides.PerScenario(identities.Select(i => i.Id).ToList(), overrides ?? new Dictionary<string, string>());
        if (setErrors.Count > 0)
        {
            foreach (var e in setErrors) errors.WriteLine(e);
            return ExitCodes.BadArguments;
        }

        var scenarios = new List<Scenario>();
        var problems = new List<ScenarioError>();
        for (var i = 0; i < list.Count; i++)
        {
            var (loaded, failed) = LoadAll([list[i]], perFile[i]);
            scenarios.AddRange(loaded);
            problems.AddRange(failed);
        }

        foreach (var s in scenarios)
        {
            var reps = s.Repetitions(repeat);
            var (requests, seconds) = ScenarioOptions.Plan(s, reps);
            var parameters = s.Parameters.Where(p => p.Origin != ScenarioParameter.BuiltIn).Select(p => $"{p.Name}={p.Text}{(p.Origin == ScenarioParameter.FromFile ? "" : $" ({p.Origin})")}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ok   {s.SourcePath}: {s.Name} [{string.Join(", ", s.Claims)}], {s.Variants.Count} variants × {reps} repetition{(reps == 1 ? "" : "s")}, {s.Checks.Count} checks, " +
                $"about {requests:N0} requests in {seconds / 60:0.#} min of load and drain{(s.Parameters.Count > 1 ? $"; parameters {string.Join(", ", parameters)}" : "")}"));
            if (ScenarioOptions.TooLarge(s, reps) is { } large) output.WriteLine($"     note: {large}");
            foreach (var note in ScenarioOptions.Notes(s)) output.WriteLine($"     note: {note}");
        }

        foreach (var e in problems) errors.WriteLine(e);
        if (problems.Count > 0) errors.WriteLine($"{problems.Count} error(s).");
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.BadArguments;
    }

    /// <summary>Loads every file with the same overrides, collecting every error of every file.</summary>
    public static (List<Scenario> Scenarios, List<ScenarioError> Errors) LoadAll(IEnumerable<string> files, IReadOnlyDictionary<string, string>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioError>();
        foreach (var file in files)
        {
            try
            {
                scenarios.Add(ScenarioLoader.Load(file, overrides: overrides));
            }
            catch (ScenarioException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        return (scenarios, errors);
    }
}
