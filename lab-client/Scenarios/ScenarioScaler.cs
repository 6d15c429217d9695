namespace Lab.Client.Scenarios;

/// <summary>
/// Shortens (or lengthens) every phase of a scenario by a factor, rates unchanged: the CI smoke test runs
/// the quick suite at a fraction of its length. Phases never go below 0.5 s.
/// </summary>
public static class ScenarioScaler
{
    public static Scenario Scale(Scenario scenario, double factor)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (factor == 1) return scenario;
        return scenario with
        {
            Variants = [.. scenario.Variants.Select(v => v with
            {
                Load = v.Load with { Phases = [.. v.Load.Phases.Select(p => Scale(p, factor))] },
            })],
        };
    }

    private static LoadPhase Scale(LoadPhase phase, double factor)
    {
        var d = Math.Max(0.5, Math.Round(phase.DurationS * factor, 3));
        return phase switch
        {
            InjectPhase p => p with { DurationS = d },
            RampPhase p => p with { DurationS = d },
            RandomRatePhase p => p with { DurationS = d },
            KeepConcurrentPhase p => p with { DurationS = d },
            RampConcurrentPhase p => p with { DurationS = d },
            _ => new PausePhase(d),
        };
    }
}
