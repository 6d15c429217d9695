using System.Globalization;
using Lab.Client.Load;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Sweeps;

/// <summary>Builds the model's input from what a run records: its profile, its knobs, its parameters and the client's timeout.</summary>
public static class QueueModelInputs
{
    /// <summary>
    /// The exact open-model schedule, the service time from the model's expressions, and the limits from the knobs (the
    /// server's defaults where unset). Null for a closed-model profile: users wait for answers, so the schedule depends
    /// on the answers themselves, which is what the model would have to predict.
    /// </summary>
    public static ModelInput? For(LoadProfile load, IReadOnlyDictionary<string, string> knobs, IReadOnlyDictionary<string, double> parameters,
        double timeoutS, int seed, SweepModelSpec model, double injectionPerS, double rateFactor = 1, double delayFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(knobs);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(model);
        if (load.Model != LoadModel.Open) return null;
        var profile = rateFactor == 1 ? load : load with { Phases = [.. load.Phases.Select(p => Faster(p, rateFactor))] };
        var arrivals = Schedule.Arrivals(profile, seed).Select(a => a.OffsetS).ToList();
        var service = model.Delay(parameters) * model.CallsPerRequest(parameters) / 1000 * delayFactor;
        var cpus = (int)parameters.GetValueOrDefault(ScenarioLoader.CpusParameter, Environment.ProcessorCount);
        string? Raw(string knob) => knobs.FirstOrDefault(kv => string.Equals(kv.Key, knob, StringComparison.OrdinalIgnoreCase)).Value;
        int? Int(string knob) => int.TryParse(Raw(knob), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var connections = Raw("MaxConnectionsPerServer") is { } c ? ConnectionLimits.TryParse(c, cpus) : null;
        var starts = profile.PhaseStartsS;
        var loadEnd = profile.Phases.Select((p, i) => (p, End: starts[i] + p.DurationS)).Where(x => x.p is not PausePhase).Select(x => x.End).DefaultIfEmpty(profile.DurationS).Max();
        return new ModelInput(
            arrivals, service, model.Style,
            MinThreads: Int("MinWorkerThreads") ?? cpus,
            MaxThreads: Int("MaxWorkerThreads") ?? short.MaxValue,
            InjectionPerS: injectionPerS,
            Permits: Int("ConcurrencyLimit"),
            QueueLimit: Int("QueueLimit") ?? ServerKnobDefaults.QueueLimit,
            Connections: connections is int.MaxValue ? null : connections,
            TimeoutS: timeoutS,
            LoadEndS: loadEnd,
            ProfileS: profile.DurationS);
    }

    private static LoadPhase Faster(LoadPhase phase, double factor) => phase switch
    {
        InjectPhase p => p with { RatePerS = p.RatePerS * factor },
        RampPhase p => p with { FromPerS = p.FromPerS * factor, ToPerS = p.ToPerS * factor },
        RandomRatePhase p => p with { MinPerS = p.MinPerS * factor, MaxPerS = p.MaxPerS * factor },
        _ => phase,
    };
}
