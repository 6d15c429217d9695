using System.Globalization;
using Lab.Client.Recording;

namespace Lab.Client.Analysis;

/// <summary>
/// When a run is flagged client-limited: the client sent late or dropped arrivals. "Late" is judged with a
/// statistic the sample size supports — p99 from 1,000 sends, p90 from 100, the median below that (the p99
/// of five values is just their maximum) — against a threshold relative to the schedule's spacing: the gap
/// between two arrivals at the profile's peak rate, between 1 and 5 ms. A send later than that can arrive
/// after the next one was due, so the server no longer sees the schedule's arrivals; one late by less keeps
/// their order and their count per interval. (Half the gap, the first rule, flagged a 600/s burst over a
/// 500 ms backend for a p99 of 1.16 ms, which changed none of its numbers.) At 1 request/s a few
/// milliseconds of lag change nothing; at 10,000/s one millisecond bunches ten arrivals.
/// </summary>
public static class ClientLimitRule
{
    public const double MinThresholdMs = 1;
    public const double MaxThresholdMs = 5;

    public sealed record Judgement(bool Limited, IReadOnlyList<string> Why, string Statistic, double ValueMs, double ThresholdMs);

    /// <summary>The percentile to judge <paramref name="sends"/> lags by, and its name.</summary>
    public static (double P, string Name) Statistic(long sends) => sends switch
    {
        >= 1_000 => (0.99, "p99"),
        >= 100 => (0.90, "p90"),
        _ => (0.50, "median"),
    };

    /// <summary>The default threshold for a profile: the spacing at its peak arrival rate, clamped to 1–5 ms (5 ms for a closed model).</summary>
    public static double DefaultThresholdMs(ResolvedLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var peak = load.Phases.SelectMany(p => p.Kind switch
        {
            "inject" => [p.Parameters["ratePerS"]],
            "ramp" => [p.Parameters["fromPerS"], p.Parameters["toPerS"]],
            "randomRate" => [p.Parameters["maxPerS"]],
            _ => Array.Empty<double>(),
        }).DefaultIfEmpty(0).Max();
        return peak <= 0 ? MaxThresholdMs : Math.Clamp(1000 / peak, MinThresholdMs, MaxThresholdMs);
    }

    public static Judgement Judge(Func<double, double> lagPercentileMs, long sends, long dropped, int inFlightCap, double thresholdMs)
    {
        ArgumentNullException.ThrowIfNull(lagPercentileMs);
        var why = new List<string>();
        var (p, name) = Statistic(sends);
        var value = sends == 0 ? double.NaN : lagPercentileMs(p);
        if (value > thresholdMs)
        {
            why.Add(string.Create(CultureInfo.InvariantCulture,
                $"dispatch lag {name} {value:0.###} ms over {sends} sends is above the {thresholdMs:0.###} ms threshold (the schedule's spacing, 1–5 ms): the client sent late"));
        }

        if (dropped > 0)
        {
            why.Add(string.Create(CultureInfo.InvariantCulture, $"{dropped} arrivals were dropped at the client's in-flight cap of {inFlightCap}"));
        }

        return new Judgement(why.Count > 0, why, name, value, thresholdMs);
    }
}
