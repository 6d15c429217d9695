using System.CommandLine;
using System.Net;
using Lab.Client.Progress;
using Lab.Client.Reports;
using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary><c>run &lt;scenario…&gt;</c>: runs scenarios end to end, each into its own results folder.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var files = ScenarioOptions.Files("Scenario files (YAML) to run, in order.");
        var set = ScenarioOptions.Set();
        var repeat = ScenarioOptions.Repeat();
        var allowLarge = ScenarioOptions.AllowLarge();
        var output = new Option<string?>("--out") { Description = "Results root (default: the repository's results/). Each run gets <UTC timestamp>-<scenario>/ under it." };
        var serverUrl = new Option<string?>("--server-url") { Description = "Drive a lab-server (server role) started by hand instead of starting one per variant; samples are pulled from /lab/samples." };
        var backendUrl = new Option<string?>("--backend-url") { Description = "Use a lab-server backend started by hand instead of starting one." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow --server-url/--backend-url that are not loopback addresses." };
        var targetPid = new Option<int?>("--target-pid") { Description = "With --server-url: a local .NET process (the server's) whose thread pool to sample through its diagnostics port, like dotnet-counters." };
        var diagnosticsPort = new Option<bool>("--diagnostics-port") { Description = "Also read each lab-server's counters through its diagnostics port (counters-<variant>.jsonl), beside its own sampler's." };
        var progress = new Option<string>("--progress") { Description = "auto (live table on a terminal, plain lines otherwise), live, plain or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");

        var command = new Command("run", "Run scenarios: a backend, then a fresh server per variant, the load profile, everything recorded.")
        {
            files, set, repeat, allowLarge, output, serverUrl, backendUrl, allowRemote, targetPid, diagnosticsPort, progress,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(files) ?? [], parse.GetValue(serverUrl), parse.GetValue(backendUrl),
            parse.GetValue(allowRemote), parse.GetValue(output), parse.GetValue(progress)!, ct,
            parse.GetValue(set) ?? [], parse.GetValue(repeat), parse.GetValue(allowLarge), parse.GetValue(targetPid), parse.GetValue(diagnosticsPort)));
        return command;
    }

    public static async Task<int> RunAsync(string[] files, string? serverText, string? backendText, bool allowRemote, string? outDir, string progressMode, CancellationToken ct,
        string[]? set = null, int? repeat = null, bool allowLarge = false, int? targetPid = null, bool diagnosticsPort = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (targetPid is not null && serverText is null)
        {
            await Console.Error.WriteLineAsync("--target-pid needs --server-url: the process whose counters to read is the server at that URL (a scenario's target: starts its own).");
            return ExitCodes.BadArguments;
        }

        var (overrides, setError) = ScenarioOptions.ParseSet(set ?? []);
        if (setError is not null)
        {
            await Console.Error.WriteLineAsync(setError);
            return ExitCodes.BadArguments;
        }

        Uri? serverUrl = null, backendUrl = null;
        foreach (var (option, text) in new[] { ("--server-url", serverText), ("--backend-url", backendText) })
        {
            if (text is null) continue;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"{option} \"{text}\": expected an absolute http:// or https:// URL.");
                return ExitCodes.BadArguments;
            }

            if (option == "--server-url") serverUrl = url;
            else backendUrl = url;

            if (!allowRemote && !IsLoopback(url))
            {
                await Console.Error.WriteLineAsync($"{url} is not a loopback address: load goes only to this machine unless you pass --allow-remote.");
                return ExitCodes.BadArguments;
            }
        }

        var (scenarios, errors) = ValidateCommand.LoadAll(files, overrides);
        if (errors.Count > 0)
        {
            foreach (var e in errors) await Console.Error.WriteLineAsync(e.ToString());
            await Console.Error.WriteLineAsync($"{errors.Count} error(s); nothing was run.");
            return ExitCodes.BadArguments;
        }

        var large = allowLarge ? [] : scenarios.Select(s => ScenarioOptions.TooLarge(s, s.Repetitions(repeat))).OfType<string>().ToList();
        if (large.Count > 0)
        {
            foreach (var l in large) await Console.Error.WriteLineAsync(l);
            await Console.Error.WriteLineAsync("Nothing was run; pass --allow-large to run it anyway.");
            return ExitCodes.BadArguments;
        }

        foreach (var note in scenarios.SelectMany(ScenarioOptions.Notes)) await Console.Error.WriteLineAsync($"note: {note}");
        var sink = Sink(progressMode);
        var options = new RunOptions
        {
            ResultsRoot = Path.GetFullPath(outDir ?? ClientPaths.DefaultResultsRoot()),
            ServerUrl = serverUrl,
            BackendUrl = backendUrl,
            CommandLine = Environment.CommandLine,
            Repeat = repeat,
            TargetPid = targetPid,
            DiagnosticsPort = diagnosticsPort,
        };

        var results = new List<RunResult>();
        await sink.RunAsync(async () =>
        {
            var orchestrator = new Orchestrator(options, sink);
            foreach (var scenario in scenarios)
            {
                if (ct.IsCancellationRequested) break;
                results.Add(await orchestrator.RunAsync(scenario, ct));
            }
        });

        var code = results.Count == scenarios.Count ? ExitCodes.Ok : ExitCodes.RunFailed;
        foreach (var r in results)
        {
            Console.WriteLine($"{(r.Complete ? "complete  " : "INCOMPLETE")} {r.Folder}");
            foreach (var reason in r.Reasons) Console.WriteLine($"  {reason}");
            if (r.ClientLimited) Console.WriteLine("  CLIENT-LIMITED: the client could not keep the schedule (see run.json variants[].clientLimitedWhy)");
            code = Worst(code, ReportCommand.Print(ReportWriter.Write(r.Folder), Console.Out));
        }

        return code;
    }

    public static IProgressSink Sink(string mode) => mode switch
    {
        "live" => new LiveProgress(),
        "plain" => new PlainProgress(Console.Out),
        "none" => new PlainProgress(TextWriter.Null),
        _ => LiveProgress.IsTerminal ? new LiveProgress() : new PlainProgress(Console.Out),
    };

    /// <summary>A failed run outranks a failed check, which outranks success.</summary>
    private static int Worst(int a, int b) => a == ExitCodes.RunFailed || b == ExitCodes.RunFailed ? ExitCodes.RunFailed : Math.Max(a, b);

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));
}
