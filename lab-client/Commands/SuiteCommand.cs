using System.CommandLine;
using System.Globalization;
using Lab.Client.Bench;
using Lab.Client.Claims;
using Lab.Client.Recording;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Client.Scenarios;

namespace Lab.Client.Commands;

/// <summary>
/// <c>suite</c> (and the lab with no command): runs the claims suite (quick by default, <c>--all</c> for
/// everything) into one folder, <c>results/&lt;timestamp&gt;-suite-…/</c>, with each scenario's run inside it and
/// <c>claims.md</c> / <c>claims.html</c> / <c>claims.json</c> on top: one row per claim with its computed verdict
/// and, with <c>--repeat</c>, its stability.
/// </summary>
public static class SuiteCommand
{
    /// <summary>The suite's options, shared with the root command so <c>./run-lab.sh --progress none</c> works too.</summary>
    public sealed record Options(Option<bool> All, Option<double> Scale, Option<string?> Out, Option<string> Progress, Option<int?> Repeat, Option<string[]> Set, Option<bool> AllowLarge)
    {
        public static Options Create()
        {
            var scale = new Option<double>("--scale") { Description = "Multiply every phase's duration by this (e.g. 0.3 for a smoke test); rates unchanged.", DefaultValueFactory = _ => 1.0 };
            scale.Validators.Add(r =>
            {
                var v = r.GetValueOrDefault<double>();
                if (v is < 0.05 or > 10) r.AddError($"--scale must be from 0.05 to 10, found {v}.");
            });
            var progress = new Option<string>("--progress") { Description = "auto (live table on a terminal, plain lines otherwise), live, plain or none.", DefaultValueFactory = _ => "auto" };
            progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
            return new Options(
                new Option<bool>("--all") { Description = "Run the full suite (every claim), not just the quick one." },
                scale,
                new Option<string?>("--out") { Description = "Results root (default: the repository's results/)." },
                progress,
                ScenarioOptions.Repeat(),
                ScenarioOptions.Set(perScenario: true),
                ScenarioOptions.AllowLarge());
        }

        public void AddTo(Command command)
        {
            ArgumentNullException.ThrowIfNull(command);
            foreach (var o in new Option[] { All, Scale, Out, Progress, Repeat, Set, AllowLarge }) command.Options.Add(o);
        }

        public Task<int> InvokeAsync(ParseResult parse, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(parse);
            return RunAsync(parse.GetValue(All), parse.GetValue(Scale), parse.GetValue(Out), parse.GetValue(Progress)!, ct,
                parse.GetValue(Repeat), parse.GetValue(Set) ?? [], parse.GetValue(AllowLarge));
        }
    }

    public static Command Create()
    {
        var options = Options.Create();
        var command = new Command("suite", "Run the claims suite and write claims.md / claims.html / claims.json with a computed verdict per claim.");
        options.AddTo(command);
        command.SetAction(options.InvokeAsync);
        return command;
    }

    public static async Task<int> RunAsync(bool all, double scale, string? outDir, string progressMode, CancellationToken ct,
        int? repeat = null, string[]? set = null, bool allowLarge = false)
    {
        var (overrides, setError) = ScenarioOptions.ParseSet(set ?? []);
        if (setError is not null)
        {
            await Console.Error.WriteLineAsync(setError);
            return ExitCodes.BadArguments;
        }

        var files = ClientPaths.RepositoryScenarios();
        var (declared, plainErrors) = ValidateCommand.LoadAll(files);
        if (plainErrors.Count > 0)
        {
            foreach (var e in plainErrors) await Console.Error.WriteLineAsync(e.ToString());
            return ExitCodes.BadArguments;
        }

        // --set name=value applies to every scenario that declares the parameter, --set scenario:name=value to that
        // scenario only; a name no scenario declares is a mistake.
        static (string? Scenario, string Name) Split(string key) => SetOverrides.Split(key);
        bool Declares(Scenario s, string name) => s.Parameters.Any(p => p.Name == name && p.Origin != ScenarioParameter.BuiltIn);
        var unknown = overrides!.Keys.Where(k => Split(k) is var (scen, name) && !declared.Any(s => (scen is null || s.Name == scen) && Declares(s, name))).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"--set {string.Join(", ", unknown)}: no scenario of the suite declares {(unknown.Count == 1 ? "this parameter" : "these parameters")} (see each file's params:; scenario:name=value sets one scenario's).");
            return ExitCodes.BadArguments;
        }

        var scenarios = new List<Scenario>();
        var errors = new List<ScenarioError>();
        var lengthened = new List<string>();
        foreach (var s in declared.Where(s => s.Suite == "quick" || (all && s.Suite == "full")))
        {
            var mine = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in overrides.OrderBy(o => o.Key.Contains(':', StringComparison.Ordinal)))
            {
                var (scen, name) = Split(key);
                if ((scen is null || scen == s.Name) && Declares(s, name)) mine[name] = value;
            }

            try
            {
                scenarios.Add(ScenarioLoader.LoadScaled(s.SourcePath, scale, mine, out var used, out var note));
                if (note is not null)
                {
                    await Console.Error.WriteLineAsync(note);
                    lengthened.Add(string.Create(CultureInfo.InvariantCulture, $"{scenarios[^1].Name} at {used:0.##}×"));
                }
            }
            catch (ScenarioException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }

        if (errors.Count > 0)
        {
            foreach (var e in errors) await Console.Error.WriteLineAsync(e.ToString());
            return ExitCodes.BadArguments;
        }

        if (scenarios.Count == 0)
        {
            await Console.Error.WriteLineAsync("No scenario in scenarios/ belongs to this suite (suite: quick or full).");
            return ExitCodes.BadArguments;
        }

        var large = allowLarge ? [] : scenarios.Select(s => ScenarioOptions.TooLarge(s, s.Repetitions(repeat))).OfType<string>().ToList();
        if (large.Count > 0)
        {
            foreach (var l in large) await Console.Error.WriteLineAsync(l);
            await Console.Error.WriteLineAsync("Nothing was run; pass --allow-large to run it anyway.");
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
            var orchestrator = new Orchestrator(new RunOptions { ResultsRoot = folder, CommandLine = Environment.CommandLine, Repeat = repeat }, sink);
            foreach (var s in scenarios)
            {
                if (ct.IsCancellationRequested) break;
                var result = await orchestrator.RunAsync(s, ct);
                complete &= result.Complete;
                runs.Add((s, ReportWriter.Write(result.Folder)));
            }
        });

        complete &= runs.Count == scenarios.Count;
        var notReached = scenarios.Skip(runs.Count).ToList();
        var interrupted = ct.IsCancellationRequested || notReached.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $" — INTERRUPTED after {runs.Count(r => r.Item2.Run.Complete)} of {scenarios.Count} scenarios")
            : "";
        if (interrupted.Length > 0)
        {
            await Console.Error.WriteLineAsync($"suite interrupted: {runs.Count} of {scenarios.Count} scenarios started, {notReached.Count} never ran; the claims report says so.");
        }

        var elapsed = DateTimeOffset.UtcNow - started;
        var repetitions = repeat is { } r ? $", {r} repetitions" : "";
        var title = string.Create(CultureInfo.InvariantCulture,
            $"Claims report — {(all ? "full" : "quick")} suite{(scale != 1 ? $" at {scale}× length" : "")}{(lengthened.Count > 0 ? $" ({string.Join(", ", lengthened)}, the shortest that still tests the claim)" : "")}{repetitions}, {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:0.0} min{interrupted}");
        var machine = Describe(MachineProbe.Describe(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)));
        var rows = ClaimsReport.Rows(runs, folder, BenchLocator.Latest(root), notReached);
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.md"), ClaimsWriters.Markdown(rows, title, machine), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.html"), ClaimsWriters.Html(rows, title, machine), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(folder, "claims.json"), ClaimsWriters.Json(rows, title, machine), CancellationToken.None);

        Console.WriteLine();
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Claim.Id,-4} {row.VerdictWithStability,-36} {row.Effect ?? row.Measured}");
        }

        Console.WriteLine($"\n{title}\nclaims report: {Path.Combine(folder, "claims.html")}");
        return complete ? ExitCodes.Ok : ExitCodes.RunFailed;
    }

    /// <summary>"Machine: host, OS, arch, CPU model, 2 cores, 23.4 GiB; .NET 10.0.12; lab commit abc (with uncommitted changes)".</summary>
    public static string Describe(MachineInfo m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var commit = m.GitCommit is null ? "unknown" : m.GitCommit[..Math.Min(12, m.GitCommit.Length)] + (m.GitDirty == true ? " (with uncommitted changes)" : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"Machine: {m.HostName}, {m.Hardware}; {m.Runtime}; lab commit {commit}.");
    }
}
