using System.CommandLine;
using System.Globalization;
using Lab.Client.ClientBench;

namespace Lab.Client.Commands;

/// <summary>
/// <c>client-bench</c>: the client's own capacity on this machine, next to wrk and hey, in one sitting — a benchmark
/// to run and read, not a test. See <see cref="ClientBenchRunner"/>; lab-client/README.md quotes its table.
/// </summary>
public static class ClientBenchCommand
{
    private const int MaxRates = 20;
    private const double MaxRatePerS = 100_000;

    public static Command Create()
    {
        var rates = new Option<string[]>("--rates")
        {
            Description = "Open-model rates of the client's rows, per second (space- or comma-separated, 1–100000, at most 20). Default: 100 500 1000 2000 4000 8000 12000 16000.",
            AllowMultipleArgumentsPerToken = true,
        };
        var duration = new Option<double>("--duration-s") { Description = "Seconds of load per row (2–60).", DefaultValueFactory = _ => 10 };
        duration.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var v && v is < 2 or > 60) r.AddError($"--duration-s must be from 2 to 60, found {v}.");
        });
        var users = new Option<int>("--closed-users") { Description = "Users of the closed-model cold-start rows (1–2000).", DefaultValueFactory = _ => 200 };
        users.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is var v && v is < 1 or > 2_000) r.AddError($"--closed-users must be from 1 to 2000, found {v}.");
        });
        var endpoint = new Option<string>("--closed-endpoint") { Description = "Endpoint of the closed-model rows.", DefaultValueFactory = _ => "/async?delayMs=50" };
        endpoint.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string>() ?? "";
            if (!v.StartsWith('/') || v.Length > 200 || v.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\')) r.AddError($"--closed-endpoint must be a path and query starting with '/', up to 200 characters, no spaces or quotes; found \"{v}\".");
        });
        var noTools = new Option<bool>("--no-tools") { Description = "Skip wrk and hey." };
        var noClosed = new Option<bool>("--no-closed") { Description = "Skip the closed-model cold-start rows." };
        var client = new Option<string?>("--client") { Description = "Another build's Lab.Client.dll to measure instead of this one (a before/after in one sitting)." };
        var output = new Option<string?>("--out") { Description = "Results root (default: the repository's results/)." };
        var command = new Command("client-bench", "Measure the client's own capacity here (dispatch lag, drops, CPU per request; a closed run's cold start) next to wrk and hey: a benchmark, not a test.")
        {
            rates, duration, users, endpoint, noTools, noClosed, client, output,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(rates) ?? [], parse.GetValue(duration), parse.GetValue(users), parse.GetValue(endpoint)!,
            !parse.GetValue(noTools), !parse.GetValue(noClosed), parse.GetValue(client), parse.GetValue(output), Console.Out, ct));
        return command;
    }

    /// <summary>Rates from "100 500" or "100,500": null and an error for anything else or out of bounds.</summary>
    public static (IReadOnlyList<double>? Rates, string? Error) ParseRates(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0) return (ClientBenchOptions.DefaultRates, null);
        var rates = new List<double>();
        foreach (var part in tokens.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !double.IsFinite(rate) || rate < 1 || rate > MaxRatePerS)
            {
                return (null, $"--rates: \"{part}\" is not a rate from 1 to {MaxRatePerS:0} per second.");
            }

            rates.Add(rate);
        }

        return rates.Count is 0 or > MaxRates ? (null, $"--rates: give 1 to {MaxRates} rates, found {rates.Count}.") : (rates, null);
    }

    public static async Task<int> RunAsync(string[] rateTokens, double durationS, int closedUsers, string closedEndpoint, bool tools, bool closed,
        string? clientDll, string? outDir, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (rates, error) = ParseRates(rateTokens);
        var dll = Path.GetFullPath(clientDll ?? Path.Combine(AppContext.BaseDirectory, "Lab.Client.dll"));
        error ??= File.Exists(dll) ? null : $"--client: {dll} does not exist.";
        try
        {
            _ = Running.LabServerLocator.Find();
        }
        catch (FileNotFoundException ex)
        {
            error ??= ex.Message;
        }

        if (error is not null)
        {
            await Console.Error.WriteLineAsync(error);
            return ExitCodes.BadArguments;
        }

        var options = new ClientBenchOptions
        {
            Rates = rates!,
            DurationS = durationS,
            ClosedUsers = closedUsers,
            ClosedEndpoint = closedEndpoint,
            ClosedDurationS = durationS,
            Tools = tools,
            Closed = closed,
            ClientDll = dll,
            ResultsRoot = Path.GetFullPath(outDir ?? ClientPaths.DefaultResultsRoot()),
            CommandLine = string.Join(' ', ["./run-lab.sh", "client-bench", .. Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != "client-bench").Skip(1)]),
        };
        var (report, goals, folder) = await ClientBenchRunner.RunAsync(options, output, ct);
        await output.WriteLineAsync();
        await output.WriteLineAsync(ClientBenchMarkdownWriter.Table(report.Rows));
        await output.WriteLineAsync();
        foreach (var g in goals) await output.WriteLineAsync($"{(g.Met is null ? "not judged" : g.Met.Value ? "met    " : "NOT MET")}  {g.Goal}: {g.Measured}");
        await output.WriteLineAsync($"\nclient-bench: {Path.Combine(folder, ClientBenchReport.MarkdownFileName)}");
        var failed = report.Rows.Count < options.Rates.Count || (closed && report.Closed.Count < 2);
        return failed ? ExitCodes.RunFailed : ExitCodes.Ok;
    }
}
