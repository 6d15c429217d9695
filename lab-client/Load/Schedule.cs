using Lab.Client.Scenarios;

namespace Lab.Client.Load;

/// <summary>An open-model arrival: when (seconds from the start of the load) and in which phase.</summary>
public readonly record struct Arrival(double OffsetS, int Phase);

/// <summary>A closed-model user: active from <see cref="StartS"/> to <see cref="EndS"/>, sending back to back.</summary>
public readonly record struct UserSlot(double StartS, double EndS, int Phase);

/// <summary>
/// The intended timeline of a load profile, as a pure function of the profile (and seed): every
/// arrival time is computed from the phase's start (<c>t0 + k·Δ</c>), never from "now", so a late
/// dispatcher cannot drift the schedule — it can only be late, and that lateness is measured.
/// </summary>
public static class Schedule
{
    private const double Epsilon = 1e-9;

    /// <summary>Open model: every arrival in order. Lazy: a long, fast profile is never held in memory.</summary>
    public static IEnumerable<Arrival> Arrivals(LoadProfile profile, int seed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var starts = profile.PhaseStartsS;
        for (var i = 0; i < profile.Phases.Count; i++)
        {
            var start = starts[i];
            var offsets = profile.Phases[i] switch
            {
                InjectPhase p => Constant(p.RatePerS, p.DurationS),
                RampPhase p => Ramp(p.FromPerS, p.ToPerS, p.DurationS),
                RandomRatePhase p => RandomRate(p.MinPerS, p.MaxPerS, p.DurationS, seed + i),
                _ => [],
            };
            foreach (var t in offsets)
            {
                yield return new Arrival(start + t, i);
            }
        }
    }

    /// <summary>Closed model: one slot per user per phase, in start order.</summary>
    public static IReadOnlyList<UserSlot> Users(LoadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var slots = new List<UserSlot>();
        var starts = profile.PhaseStartsS;
        for (var i = 0; i < profile.Phases.Count; i++)
        {
            var (s, d) = (starts[i], profile.Phases[i].DurationS);
            switch (profile.Phases[i])
            {
                case KeepConcurrentPhase p:
                    for (var u = 0; u < p.Users; u++) slots.Add(new UserSlot(s, s + d, i));
                    break;
                case RampConcurrentPhase { FromUsers: var a, ToUsers: var b }:
                    // Users below both ends stay the whole phase; the others join (ramp up) or leave
                    // (ramp down) evenly spaced, so the count follows a + (b − a)·t/D.
                    for (var u = 0; u < Math.Max(a, b); u++)
                    {
                        if (u < Math.Min(a, b)) slots.Add(new UserSlot(s, s + d, i));
                        else if (b > a) slots.Add(new UserSlot(s + (double)(u - a) / (b - a) * d, s + d, i));
                        else slots.Add(new UserSlot(s, s + (double)(a - u) / (a - b) * d, i));
                    }

                    break;
            }
        }

        return slots.OrderBy(x => x.StartS).ToList();
    }

    /// <summary>Evenly spaced at <paramref name="rate"/> per second: 0, 1/r, 2/r, … below the duration.</summary>
    public static IEnumerable<double> Constant(double rate, double durationS)
    {
        for (long k = 0; ; k++)
        {
            var t = k / rate;
            if (t >= durationS - Epsilon) yield break;
            yield return t;
        }
    }

    /// <summary>
    /// Rate going linearly from <paramref name="from"/> to <paramref name="to"/>: the k-th arrival is where the
    /// expected count N(t) = from·t + (to − from)·t²/(2D) reaches k, solved in closed form.
    /// </summary>
    public static IEnumerable<double> Ramp(double from, double to, double durationS)
    {
        var a = (to - from) / (2 * durationS);
        for (long k = 0; ; k++)
        {
            // Stable root of a·t² + from·t − k = 0 for either sign of a.
            var t = k == 0 ? 0 : 2.0 * k / (from + Math.Sqrt(Math.Max(0, from * from + 4 * a * k)));
            if (double.IsNaN(t) || double.IsInfinity(t) || t >= durationS - Epsilon) yield break;
            yield return t;
        }
    }

    /// <summary>Each second a rate drawn uniformly from [min, max] (seeded), evenly spaced within that second.</summary>
    public static IEnumerable<double> RandomRate(double min, double max, double durationS, int seed)
    {
        var random = new Random(seed);
        for (var second = 0; second < durationS - Epsilon; second++)
        {
            var rate = min + random.NextDouble() * (max - min);
            if (rate <= 0) continue;
            var length = Math.Min(1, durationS - second);
            foreach (var t in Constant(rate, length))
            {
                yield return second + t;
            }
        }
    }

    /// <summary>How many arrivals the open profile schedules (for progress and dropped shares).</summary>
    public static long Count(LoadProfile profile, int seed) => Arrivals(profile, seed).LongCount();
}
