using Lab.Client.Scenarios;

namespace Lab.Client.Recording;

/// <summary>The scenario after parameters, defaults and overrides, as recorded in run.json and read back from it.</summary>
public sealed record ResolvedScenario(
    string Name,
    IReadOnlyList<string> Claims,
    IReadOnlyList<ScenarioParameter> Parameters,
    int Repeat,
    IReadOnlyDictionary<string, string> BackendKnobs,
    ClientOptions Client,
    string Suite,
    IReadOnlyList<ResolvedCheck> Checks,
    IReadOnlyDictionary<string, ClaimEvidence> Evidence,
    IReadOnlyList<ResolvedVariant> Variants)
{
    /// <summary>The user's own server, when the scenario names one instead of lab-server.</summary>
    public TargetSpec? Target { get; init; }

    public static ResolvedScenario Of(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new ResolvedScenario(
            s.Name,
            s.Claims,
            s.Parameters,
            s.Repeat,
            s.BackendKnobs,
            s.Client,
            s.Suite,
            [.. s.Checks.Select((c, i) => new ResolvedCheck(c.Text, i < s.CheckRoles.Count ? s.CheckRoles[i].Claim : null, i < s.CheckRoles.Count ? s.CheckRoles[i].Qualifies : null)
            {
                Control = i < s.CheckRoles.Count && s.CheckRoles[i].Control,
            })],
            s.Evidence,
            [.. s.Variants.Select(v => new ResolvedVariant(
                v.Name,
                v.Description,
                [.. v.Endpoints.Select(e => new ResolvedEndpoint(e.PathAndQuery, e.Weight))],
                v.ServerKnobs,
                v.Environment,
                ResolvedLoad.Of(v.Load))
            {
                Model = v.Model,
            })])
        {
            Target = s.Target,
        };
    }

    /// <summary>The parameters as the checks use them: name → value.</summary>
    public IReadOnlyDictionary<string, double> ParameterValues => Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
}

public sealed record ResolvedCheck(string Check, string? Claim, string? Qualifies)
{
    /// <summary>The experiment's own condition: when it fails, the claim's verdict is inconclusive.</summary>
    public bool Control { get; init; }
}

public sealed record ResolvedEndpoint(string Endpoint, int Weight);

public sealed record ResolvedVariant(
    string Name,
    string? Description,
    IReadOnlyList<ResolvedEndpoint> Endpoints,
    IReadOnlyDictionary<string, string> Knobs,
    IReadOnlyDictionary<string, string> Environment,
    ResolvedLoad Load)
{
    public string EndpointText => string.Join(", ", Endpoints.Select(e => Endpoints.Count == 1 ? e.Endpoint : $"{e.Endpoint} ×{e.Weight}"));

    /// <summary>How the endpoint waits, for the queueing model (null when the scenario gave none).</summary>
    public Sweeps.SweepModelSpec? Model { get; init; }
}

/// <summary>A load profile with each phase's start, so reports can draw the phases as bands.</summary>
public sealed record ResolvedLoad(string Model, double DurationS, IReadOnlyList<ResolvedPhase> Phases)
{
    public static ResolvedLoad Of(LoadProfile load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var starts = load.PhaseStartsS;
        return new ResolvedLoad(load.Model.ToString().ToLowerInvariant(), load.DurationS,
            [.. load.Phases.Select((p, i) => new ResolvedPhase(i, p.Kind, p.Label, starts[i], p.DurationS, p switch
            {
                InjectPhase x => new Dictionary<string, double> { ["ratePerS"] = x.RatePerS },
                RampPhase x => new Dictionary<string, double> { ["fromPerS"] = x.FromPerS, ["toPerS"] = x.ToPerS },
                RandomRatePhase x => new Dictionary<string, double> { ["minPerS"] = x.MinPerS, ["maxPerS"] = x.MaxPerS },
                KeepConcurrentPhase x => new Dictionary<string, double> { ["users"] = x.Users },
                RampConcurrentPhase x => new Dictionary<string, double> { ["fromUsers"] = x.FromUsers, ["toUsers"] = x.ToUsers },
                _ => new Dictionary<string, double>(),
            }))]);
    }

    /// <summary>The profile again, from the recorded phases: for the model's schedule at report time.</summary>
    public LoadProfile ToProfile() =>
        new(Model == "closed" ? LoadModel.Closed : LoadModel.Open, [.. Phases.Select(p => (LoadPhase)(p.Kind switch
        {
            "inject" => new InjectPhase(p.Parameters["ratePerS"], p.DurationS),
            "ramp" => new RampPhase(p.Parameters["fromPerS"], p.Parameters["toPerS"], p.DurationS),
            "randomRate" => new RandomRatePhase(p.Parameters["minPerS"], p.Parameters["maxPerS"], p.DurationS),
            "keepConcurrent" => new KeepConcurrentPhase((int)p.Parameters["users"], p.DurationS),
            "rampConcurrent" => new RampConcurrentPhase((int)p.Parameters["fromUsers"], (int)p.Parameters["toUsers"], p.DurationS),
            _ => new PausePhase(p.DurationS),
        }))]);

    /// <summary>End of the last phase that sends anything: after it, the drain window.</summary>
    public double LoadEndS => Phases.Where(p => p.Kind != "pause").Select(p => p.StartS + p.DurationS).DefaultIfEmpty(DurationS).Max();
}

public sealed record ResolvedPhase(int Index, string Kind, string Label, double StartS, double DurationS, IReadOnlyDictionary<string, double> Parameters)
{
    public double EndS => StartS + DurationS;
    public bool IsPause => Kind == "pause";
}
