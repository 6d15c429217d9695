using HdrHistogram;
using Lab.Client.Analysis;

namespace Lab.Client.Load;

/// <summary>
/// Running totals of one variant run for live progress and run.json, in bounded memory whatever the profile:
/// counts by outcome, the whole run's dispatch lag in an HdrHistogram, and small per-second buckets (counts
/// and a 2-digit histogram of latency) of which only the last minute is kept — the ticker reads each second
/// once. (Per-second dispatch lag is kept by the engine at each send, <see cref="DispatchSeconds"/>: a record only
/// arrives when its request ends, too late for a second whose answers take longer than the second.) The exact
/// figures come later from requests.csv. Fed by the recorder's writer thread and read by the
/// ticker, under a lock.
/// </summary>
public sealed class VariantStats
{
    private const int KeptSeconds = 60;
    private const long HighestUs = 3_600L * 1_000_000 * 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Bucket1s> _seconds = [];
    private readonly Dictionary<Outcome, long> _outcomes = [];
    private readonly Distribution _lag = new();
    private int _newest;

    public long Scheduled { get; private set; }
    public long Sent { get; private set; }

    public void Add(RequestRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        lock (_lock)
        {
            Scheduled++;
            _outcomes[r.Outcome] = _outcomes.GetValueOrDefault(r.Outcome) + 1;
            var due = Bucket((int)(r.IntendedMs / 1000));
            if (due is not null) due.Scheduled++;
            if (r.Outcome == Outcome.Dropped)
            {
                if (due is not null) due.Dropped++;
                return;
            }

            if (r.LagMs is { } lag)
            {
                Sent++;
                _lag.Record(lag);
                if (Bucket((int)(r.SendMs!.Value / 1000)) is { } sentIn) sentIn.Sent++;
            }

            if (r.EndMs is not { } end || r.Outcome == Outcome.Aborted) return;
            if (Bucket((int)(end / 1000)) is not { } done) return;
            done.Completed++;
            switch (r.Outcome)
            {
                case Outcome.Ok: done.Ok++; break;
                case Outcome.Status503: done.Rejected503++; break;
                case Outcome.Timeout: done.Timeouts++; break;
                default: done.Errors++; break;
            }

            if (r.Answered) done.Latency.RecordValue(Distribution.ToMicroseconds(r.LatencyMs!.Value));
        }
    }

    public long Count(Outcome outcome)
    {
        lock (_lock) return _outcomes.GetValueOrDefault(outcome);
    }

    public IReadOnlyDictionary<string, long> Outcomes()
    {
        lock (_lock) return Enum.GetValues<Outcome>().ToDictionary(o => o.Name(), o => _outcomes.GetValueOrDefault(o));
    }

    /// <summary>Dispatch lag percentile over the whole variant run, ms (within 0.1 %; NaN before anything was sent).</summary>
    public double LagPercentile(double p)
    {
        lock (_lock) return _lag.ApproximateMs(p);
    }

    public double LagMax()
    {
        lock (_lock) return _lag.MaxMs;
    }

    /// <summary>A snapshot of one second (empty if nothing happened in it, or if it is older than the last minute).</summary>
    public SecondStats Second(int second)
    {
        lock (_lock)
        {
            if (!_seconds.TryGetValue(second, out var s)) return new SecondStats();
            return new SecondStats
            {
                Scheduled = s.Scheduled, Sent = s.Sent, Dropped = s.Dropped, Completed = s.Completed, Ok = s.Ok,
                Rejected503 = s.Rejected503, Errors = s.Errors, Timeouts = s.Timeouts,
                LatencyP99Ms = s.LatencyOrNull is { TotalCount: > 0 } l ? l.GetValueAtPercentile(99) / 1000.0 : double.NaN,
            };
        }
    }

    /// <summary>The bucket of a second, or null when it is already older than the kept minute.</summary>
    private Bucket1s? Bucket(int second)
    {
        if (second < _newest - KeptSeconds) return null;
        if (second > _newest)
        {
            _newest = second;
            foreach (var old in _seconds.Keys.Where(k => k < _newest - KeptSeconds).ToList()) _seconds.Remove(old);
        }

        if (!_seconds.TryGetValue(second, out var s))
        {
            s = new Bucket1s();
            _seconds[second] = s;
        }

        return s;
    }

    private sealed class Bucket1s
    {
        private IntHistogram? _latency;

        public long Scheduled, Sent, Dropped, Completed, Ok, Rejected503, Errors, Timeouts;

        public IntHistogram Latency => _latency ??= new IntHistogram(HighestUs, 2);
        public IntHistogram? LatencyOrNull => _latency;
    }
}
