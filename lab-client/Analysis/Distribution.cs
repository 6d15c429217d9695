using HdrHistogram;

namespace Lab.Client.Analysis;

/// <summary>
/// One distribution of a run (latency, service time, dispatch lag) in bounded memory, with exact percentiles.
/// Values are milliseconds recorded to the microsecond (requests.csv keeps three decimals), held as integer
/// microseconds. The first pass records them in an HdrHistogram (3 significant digits: a fixed few hundred KB
/// whatever the count); for each percentile it then knows the histogram bucket that holds the wanted rank
/// and how many values lie below it. A second pass (<see cref="Refine"/>) keeps only the values inside those
/// buckets, counted by exact value, so the answer is the exact nearest-rank percentile of what was recorded
/// while memory stays bounded by the bucket widths (about a thousandth of the value each).
/// </summary>
public sealed class Distribution
{
    /// <summary>An hour, in microseconds: no recorded time can be longer (profiles and timeouts are bounded by it).</summary>
    private const long HighestUs = 3_600L * 1_000_000 * 2;

    public static readonly double[] Percentiles = [0.50, 0.90, 0.95, 0.99, 0.999];

    private readonly LongHistogram _histogram = new(HighestUs, 3);
    private double _sum;
    private long _max = long.MinValue;
    private Target[]? _targets;

    public long Count { get; private set; }

    public double MaxMs => Count == 0 ? double.NaN : _max / 1000.0;

    public double MeanMs => Count == 0 ? double.NaN : _sum / Count / 1000.0;

    public void Record(double ms)
    {
        var us = ToMicroseconds(ms);
        _histogram.RecordValue(us);
        _sum += us;
        _max = Math.Max(_max, us);
        Count++;
    }

    public static long ToMicroseconds(double ms) => Math.Clamp((long)Math.Round(ms * 1000), 0, HighestUs);

    /// <summary>Approximate percentile (within the histogram's 0.1 %) — enough for live progress and charts.</summary>
    public double ApproximateMs(double p) => Count == 0 ? double.NaN : _histogram.GetValueAtPercentile(p * 100) / 1000.0;

    /// <summary>Whether a second pass is needed to make <see cref="ExactMs"/> exact.</summary>
    public bool NeedsRefining => Count > 0 && _targets is null;

    /// <summary>Starts the second pass: for each percentile, the bucket holding its rank and the count below it.</summary>
    public void BeginRefine()
    {
        _targets = new Target[Percentiles.Length];
        if (Count == 0) return;
        for (var i = 0; i < Percentiles.Length; i++)
        {
            var rank = Math.Clamp((long)Math.Ceiling(Percentiles[i] * Count), 1, Count);
            long below = 0;
            foreach (var v in _histogram.RecordedValues())
            {
                if (v.TotalCountToThisValue >= rank)
                {
                    var lo = _histogram.LowestEquivalentValue(v.ValueIteratedTo);
                    _targets[i] = new Target(rank, below, lo, _histogram.HighestEquivalentValue(v.ValueIteratedTo));
                    break;
                }

                below = v.TotalCountToThisValue;
            }
        }
    }

    /// <summary>Second pass: offer every value again, in any order.</summary>
    public void Refine(double ms)
    {
        if (_targets is null) return;
        var us = ToMicroseconds(ms);
        foreach (var t in _targets)
        {
            if (t is not null && us >= t.Low && us <= t.High) t.Values[us] = t.Values.GetValueOrDefault(us) + 1;
        }
    }

    /// <summary>The exact nearest-rank percentile after <see cref="Refine"/> saw every value; NaN when empty.</summary>
    public double ExactMs(double p)
    {
        if (Count == 0) return double.NaN;
        var i = Array.IndexOf(Percentiles, p);
        if (i < 0 || _targets is null || _targets[i] is not { } t) return ApproximateMs(p);
        var seen = t.Below;
        foreach (var (value, n) in t.Values.OrderBy(kv => kv.Key))
        {
            seen += n;
            if (seen >= t.Rank) return value / 1000.0;
        }

        return ApproximateMs(p);
    }

    private sealed record Target(long Rank, long Below, long Low, long High)
    {
        public Dictionary<long, long> Values { get; } = [];
    }
}
