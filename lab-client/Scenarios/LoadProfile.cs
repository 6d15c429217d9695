namespace Lab.Client.Scenarios;

/// <summary>
/// Open: arrivals follow the schedule whatever the server does — a stall shows as latency and as
/// requests piling up in flight, which is what bursty traffic does to a real server.
/// Closed: N users each wait for their response before sending again — the load slows down with
/// the server, which hides stalls (coordinated omission); use it to model a fixed pool of callers.
/// </summary>
public enum LoadModel
{
    Open,
    Closed,
}

/// <summary>A load profile: a model and the phases that follow one another.</summary>
public sealed record LoadProfile(LoadModel Model, IReadOnlyList<LoadPhase> Phases)
{
    public double DurationS => Phases.Sum(p => p.DurationS);

    /// <summary>Start offset (s) of each phase.</summary>
    public IReadOnlyList<double> PhaseStartsS
    {
        get
        {
            var starts = new double[Phases.Count];
            double t = 0;
            for (var i = 0; i < Phases.Count; i++)
            {
                starts[i] = t;
                t += Phases[i].DurationS;
            }

            return starts;
        }
    }
}

/// <summary>One phase of a load profile. Names follow NBomber and k6.</summary>
public abstract record LoadPhase(double DurationS)
{
    public abstract string Kind { get; }

    /// <summary>A short label for charts and progress lines, e.g. "inject 200/s".</summary>
    public abstract string Label { get; }
}

/// <summary>Open: a constant rate, evenly spaced (k6 constant-arrival-rate).</summary>
public sealed record InjectPhase(double RatePerS, double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "inject";
    public override string Label => $"inject {RatePerS:0.##}/s";
}

/// <summary>Open: the rate goes linearly from one value to another (NBomber RampingInject).</summary>
public sealed record RampPhase(double FromPerS, double ToPerS, double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "ramp";
    public override string Label => $"ramp {FromPerS:0.##}→{ToPerS:0.##}/s";
}

/// <summary>Open: each second a rate drawn uniformly between two bounds (NBomber InjectRandom).</summary>
public sealed record RandomRatePhase(double MinPerS, double MaxPerS, double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "randomRate";
    public override string Label => $"random {MinPerS:0.##}–{MaxPerS:0.##}/s";
}

/// <summary>Either model: nothing is sent (users idle) for the duration.</summary>
public sealed record PausePhase(double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "pause";
    public override string Label => "pause";
}

/// <summary>Closed: N users, each sending its next request when the previous one answered (NBomber KeepConstant).</summary>
public sealed record KeepConcurrentPhase(int Users, double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "keepConcurrent";
    public override string Label => $"{Users} users";
}

/// <summary>Closed: the number of users goes linearly from one value to another (NBomber RampingConstant).</summary>
public sealed record RampConcurrentPhase(int FromUsers, int ToUsers, double DurationS) : LoadPhase(DurationS)
{
    public override string Kind => "rampConcurrent";
    public override string Label => $"{FromUsers}→{ToUsers} users";
}
