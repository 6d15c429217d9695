namespace Lab.Client.Load;

/// <summary>
/// Running totals and per-second buckets of one variant, fed by the recorder's writer thread and
/// read by the progress ticker (under a lock; both sides touch it at most a few times a second
/// per record batch).
/// </summary>
public sealed class VariantStats
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, SecondStats> _seconds = [];
    private readonly Dictionary<Outcome, long> _outcomes = [];
    private readonly List<double> _lags = [];

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
            due.Scheduled++;
            if (r.Outcome == Outcome.Dropped)
            {
                due.Dropped++;
                return;
            }

            if (r.LagMs is { } lag)
            {
                Sent++;
                due.Sent++;
                due.LagsMs.Add(lag);
                _lags.Add(lag);
            }

            if (r.EndMs is not { } end || r.Outcome == Outcome.Aborted) return;
            var done = Bucket((int)(end / 1000));
            done.Completed++;
            switch (r.Outcome)
            {
                case Outcome.Ok: done.Ok++; break;
                case Outcome.Status503: done.Rejected503++; break;
                case Outcome.Timeout: done.Timeouts++; break;
                default: done.Errors++; break;
            }

            if (r.LatencyMs is { } latency) done.LatenciesMs.Add(latency);
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

    /// <summary>Dispatch lag percentile over the whole variant, ms (NaN before anything was sent).</summary>
    public double LagPercentile(double p)
    {
        lock (_lock) return SecondStats.Percentile(_lags, p);
    }

    public double LagMax()
    {
        lock (_lock) return _lags.Count == 0 ? double.NaN : _lags.Max();
    }

    /// <summary>A copy of one second's bucket (empty if nothing happened in it).</summary>
    public SecondStats Second(int second)
    {
        lock (_lock)
        {
            var copy = new SecondStats();
            if (!_seconds.TryGetValue(second, out var s)) return copy;
            copy.Scheduled = s.Scheduled;
            copy.Sent = s.Sent;
            copy.Dropped = s.Dropped;
            copy.Completed = s.Completed;
            copy.Ok = s.Ok;
            copy.Rejected503 = s.Rejected503;
            copy.Errors = s.Errors;
            copy.Timeouts = s.Timeouts;
            copy.LatenciesMs.AddRange(s.LatenciesMs);
            copy.LagsMs.AddRange(s.LagsMs);
            return copy;
        }
    }

    private SecondStats Bucket(int second)
    {
        if (!_seconds.TryGetValue(second, out var s))
        {
            s = new SecondStats();
            _seconds[second] = s;
        }

        return s;
    }
}
