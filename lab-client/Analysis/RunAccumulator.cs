using HdrHistogram;
using Lab.Client.Load;

namespace Lab.Client.Analysis;

/// <summary>
/// The client side of one variant run, accumulated record by record in bounded memory: counts by outcome,
/// the whole-run distributions (exact after a second pass), and per interval the arrivals, answers,
/// outcomes, sends and ends (for requests outstanding) and small histograms for the interval's percentiles.
/// </summary>
public sealed class RunAccumulator(double bucketS, int maxIntervals = int.MaxValue)
{
    /// <summary>Per-interval percentiles need only 2 significant digits (1 %): a few KB per interval.</summary>
    private const long IntervalHighestUs = 3_600L * 1_000_000 * 2;

    private readonly Dictionary<int, Bucket> _buckets = [];
    private readonly Dictionary<Outcome, long> _outcomes = [];
    private readonly Dictionary<int, long> _okPerSecond = [];
    private readonly Dictionary<int, long> _offeredPerSecond = [];

    public double BucketS { get; } = bucketS;

    /// <summary>Answered requests (an HTTP status), from the intended send time.</summary>
    public Distribution Latency { get; } = new();

    /// <summary>Answered requests plus client timeouts counted at their end: a timeout censors the latency, this keeps it as a lower bound.</summary>
    public Distribution LatencyWithTimeouts { get; } = new();

    /// <summary>Answered requests, from the actual send.</summary>
    public Distribution ServiceTime { get; } = new();

    /// <summary>Every sent request: actual minus intended send time.</summary>
    public Distribution Lag { get; } = new();

    public long Scheduled { get; private set; }
    public long Sent { get; private set; }
    public long Answered { get; private set; }

    /// <summary>End of the last answered request (ms after t0), or NaN.</summary>
    public double LastAnswerMs { get; private set; } = double.NaN;

    /// <summary>End of the last request that ended in any way (ms after t0), or NaN.</summary>
    public double LastEndMs { get; private set; } = double.NaN;

    public int LastBucket => _buckets.Count == 0 ? -1 : _buckets.Keys.Max();

    public long Count(Outcome o) => _outcomes.GetValueOrDefault(o);

    public IReadOnlyDictionary<int, long> OkPerSecond => _okPerSecond;

    public IReadOnlyDictionary<int, long> OfferedPerSecond => _offeredPerSecond;

    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Scheduled++;
        _outcomes[r.Outcome] = _outcomes.GetValueOrDefault(r.Outcome) + 1;
        var due = At(r.IntendedMs);
        due.Offered++;
        _offeredPerSecond[(int)(r.IntendedMs / 1000)] = _offeredPerSecond.GetValueOrDefault((int)(r.IntendedMs / 1000)) + 1;
        if (r.Outcome == Outcome.Dropped)
        {
            due.Dropped++;
            return;
        }

        if (r.Outcome == Outcome.Aborted) due.Aborted++;
        if (r.SendMs is { } send)
        {
            Sent++;
            var sentIn = At(send);
            sentIn.Sent++;
            var lag = send - r.IntendedMs;
            Lag.Record(lag);
            sentIn.Lag.RecordValue(Distribution.ToMicroseconds(lag));
        }

        // A request that never ended (aborted by the drain bound, or still in flight when the client died)
        // stays outstanding to the end of the record.
        if (r.EndMs is not { } end || r.Outcome == Outcome.Aborted) return;
        LastEndMs = double.IsNaN(LastEndMs) ? end : Math.Max(LastEndMs, end);
        var done = At(end);
        done.Ended++;
        switch (r.Outcome)
        {
            case Outcome.Ok: done.Ok++; break;
            case Outcome.Status503: done.Rejected503++; break;
            case Outcome.Timeout: done.Timeouts++; break;
            default: done.Errors++; break;
        }

        if (r.Outcome == Outcome.Ok) _okPerSecond[(int)(end / 1000)] = _okPerSecond.GetValueOrDefault((int)(end / 1000)) + 1;
        if (r.Answered)
        {
            Answered++;
            LastAnswerMs = double.IsNaN(LastAnswerMs) ? end : Math.Max(LastAnswerMs, end);
            done.Answered++;
            Latency.Record(r.LatencyMs!.Value);
            LatencyWithTimeouts.Record(r.LatencyMs!.Value);
            done.Latency.RecordValue(Distribution.ToMicroseconds(r.LatencyMs!.Value));
            if (r.ServiceMs is { } service)
            {
                ServiceTime.Record(service);
                done.Service.RecordValue(Distribution.ToMicroseconds(service));
            }
        }
        else if (r.Outcome == Outcome.Timeout)
        {
            LatencyWithTimeouts.Record(r.LatencyMs!.Value);
        }
    }

    public void BeginRefine()
    {
        foreach (var d in Distributions) d.BeginRefine();
    }

    /// <summary>Second pass: the same records again, for exact percentiles.</summary>
    public void Refine(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.SendMs is { } send && r.Outcome != Outcome.Dropped) Lag.Refine(send - r.IntendedMs);
        if (r.EndMs is null || r.Outcome is Outcome.Aborted or Outcome.Dropped) return;
        if (r.Answered)
        {
            Latency.Refine(r.LatencyMs!.Value);
            LatencyWithTimeouts.Refine(r.LatencyMs!.Value);
            if (r.ServiceMs is { } service) ServiceTime.Refine(service);
        }
        else if (r.Outcome == Outcome.Timeout)
        {
            LatencyWithTimeouts.Refine(r.LatencyMs!.Value);
        }
    }

    private IEnumerable<Distribution> Distributions => [Latency, LatencyWithTimeouts, ServiceTime, Lag];

    /// <summary>Client columns of interval <paramref name="i"/>; <paramref name="outstanding"/> carries the running count of sent minus ended.</summary>
    public (long Offered, long Sent, long Answered, long Ok, long R503, long Errors, long Timeouts, long Dropped, long Aborted,
        double P50, double P90, double P99, double P999, double Max, double S50, double S99, double Lag99, double LagMax) Interval(int i, ref long outstanding)
    {
        if (!_buckets.TryGetValue(i, out var b))
        {
            return (0, 0, 0, 0, 0, 0, 0, 0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        outstanding += b.Sent - b.Ended;
        static double P(IntHistogram? h, double p) => h is null || h.TotalCount == 0 ? double.NaN : h.GetValueAtPercentile(p) / 1000.0;
        static double M(IntHistogram? h) => h is null || h.TotalCount == 0 ? double.NaN : h.GetMaxValue() / 1000.0;
        return (b.Offered, b.Sent, b.Answered, b.Ok, b.Rejected503, b.Errors, b.Timeouts, b.Dropped, b.Aborted,
            P(b.LatencyOrNull, 50), P(b.LatencyOrNull, 90), P(b.LatencyOrNull, 99), P(b.LatencyOrNull, 99.9), M(b.LatencyOrNull),
            P(b.ServiceOrNull, 50), P(b.ServiceOrNull, 99), P(b.LagOrNull, 99), M(b.LagOrNull));
    }

    private Bucket At(double ms)
    {
        // Rounded first: 300 ms / 0.1 s is 2.9999999999999996 in floating point, and belongs in interval 3.
        var i = Math.Clamp((int)Math.Floor(Math.Round(ms / 1000 / BucketS, 9)), 0, maxIntervals - 1);
        if (!_buckets.TryGetValue(i, out var b))
        {
            b = new Bucket();
            _buckets[i] = b;
        }

        return b;
    }

    private sealed class Bucket
    {
        private IntHistogram? _latency;
        private IntHistogram? _service;
        private IntHistogram? _lag;

        public long Offered, Sent, Ended, Answered, Ok, Rejected503, Errors, Timeouts, Dropped, Aborted;

        public IntHistogram Latency => _latency ??= new IntHistogram(IntervalHighestUs, 2);
        public IntHistogram Service => _service ??= new IntHistogram(IntervalHighestUs, 2);
        public IntHistogram Lag => _lag ??= new IntHistogram(IntervalHighestUs, 2);
        public IntHistogram? LatencyOrNull => _latency;
        public IntHistogram? ServiceOrNull => _service;
        public IntHistogram? LagOrNull => _lag;
    }
}
