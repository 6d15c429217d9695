using System.CommandLine;
using System.Globalization;
using Lab.Client.Scenarios;
using Lab.Client.Scenarios.Schema;

namespace Lab.Client.Commands;

/// <summary>
/// Options every command that reads scenarios shares — <c>--set name=value</c>, <c>--repeat N</c>,
/// <c>--allow-large</c> — and the rule that a scenario argument starting with '-' is an unknown option, not a file.
/// </summary>
public static class ScenarioOptions
{
    /// <param name="perScenario">For commands over several scenarios (suite, validate): scenario:name=value sets one scenario's.</param>
    public static Option<string[]> Set(bool perScenario = false) => new("--set")
    {
        Description = "Override a scenario parameter: --set delayMs=300 (repeatable)"
            + (perScenario ? "; it applies to every scenario that declares it, and --set c1-burst:delayMs=300 to that scenario only" : "")
            + ". The value used is recorded in run.json and shown in the report.",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<int?> Repeat()
    {
        var repeat = new Option<int?>("--repeat")
        {
            Description = "Run every variant N times (fresh processes each, interleaved A B A B …); medians with min–max, and each check's k/N. Never fewer than the scenario's repeat: (the fewest its verdict needs), else 1.",
        };
        repeat.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } v && v is < 1 or > 50) r.AddError($"--repeat must be from 1 to 50, found {v}.");
        });
        return repeat;
    }

    public static Option<bool> AllowLarge() => new("--allow-large")
    {
        Description = $"Run a plan beyond {ScenarioLimits.MaxPlannedRequests:N0} requests or an hour of load (every request is a line of requests.csv the report reads back).",
    };

    /// <summary>Scenario file arguments: one that starts with '-' is a misspelt or unknown option, said as such.</summary>
    public static Argument<string[]> Files(string description)
    {
        var files = new Argument<string[]>("scenario") { Description = description, Arity = ArgumentArity.OneOrMore };
        files.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Where(t => t.Value.StartsWith('-')))
            {
                r.AddError($"unknown option {token.Value} (run with --help for the options).");
            }
        });
        return files;
    }

    /// <summary>Parses <c>name=value</c> pairs; null with the message when one is malformed.</summary>
    public static (Dictionary<string, string>? Values, string? Error) ParseSet(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1)
            {
                return (null, $"--set \"{pair}\": expected name=value, e.g. --set delayMs=300.");
            }

            values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return (values, null);
    }

    /// <summary>
    /// A closed-model user sends as fast as it is answered, so its count is not known before the run: estimated at
    /// 100 requests per second per user (a 10 ms server). Open phases are exact.
    /// </summary>
    public const double ClosedRequestsPerUserPerS = 100;

    /// <summary>Requests and seconds a scenario plans, over its repetitions.</summary>
    public static (double Requests, double Seconds) Plan(Scenario scenario, int repeat)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        double requests = 0, seconds = 0;
        foreach (var v in scenario.Variants)
        {
            foreach (var p in v.Load.Phases)
            {
                requests += p switch
                {
                    InjectPhase x => x.RatePerS * x.DurationS,
                    RampPhase x => (x.FromPerS + x.ToPerS) / 2 * x.DurationS,
                    RandomRatePhase x => x.MaxPerS * x.DurationS,
                    KeepConcurrentPhase x => x.Users * x.DurationS * ClosedRequestsPerUserPerS,
                    RampConcurrentPhase x => Math.Max(x.FromUsers, x.ToUsers) * x.DurationS * ClosedRequestsPerUserPerS,
                    _ => 0,
                };
            }

            seconds += v.Load.DurationS + scenario.Client.DrainS;
        }

        return (requests * repeat, seconds * repeat);
    }

    /// <summary>Null when the plan is within bounds; otherwise why it needs --allow-large.</summary>
    public static string? TooLarge(Scenario scenario, int repeat)
    {
        var (requests, seconds) = Plan(scenario, repeat);
        if (requests > ScenarioLimits.MaxPlannedRequests)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{scenario.SourcePath}: {scenario.Name} plans about {requests:N0} requests (at most {ScenarioLimits.MaxPlannedRequests:N0} without --allow-large): every request is a line of requests.csv that the report reads back.");
        }

        return seconds > ScenarioLimits.MaxProfileDurationS
            ? string.Create(CultureInfo.InvariantCulture, $"{scenario.SourcePath}: {scenario.Name} plans {seconds / 60:0} minutes of load and drain (at most {ScenarioLimits.MaxProfileDurationS / 60:0} without --allow-large).")
            : null;
    }

    /// <summary>
    /// Things about a valid plan that a user would want to know before it runs: a request timeout longer than the
    /// drain means requests still waiting when the drain ends are aborted, never timed out.
    /// </summary>
    public static IReadOnlyList<string> Notes(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var notes = new List<string>();
        if (scenario.Client.TimeoutS > scenario.Client.DrainS)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{scenario.SourcePath}: client.timeoutS ({scenario.Client.TimeoutS:0.###} s) is longer than client.drainS ({scenario.Client.DrainS:0.###} s): requests still unanswered {scenario.Client.DrainS:0.###} s after the last arrival are aborted, not timed out (raise drainS to at least timeoutS to see them time out)."));
        }

        return notes;
    }
}
