using Lab.Contracts;

namespace Lab.Server.Telemetry;

/// <summary>
/// Bounded ring of the latest samples, served by <c>/lab/samples?after=N</c>. The sampler is the only
/// writer; readers page by sequence number, so a client that was cut off by starvation gets every
/// sample exactly once when the server answers again.
/// </summary>
public sealed class SampleBuffer(int capacity)
{
    private readonly ServerSample[] _ring = new ServerSample[capacity];
    private readonly Lock _lock = new();
    private long _latestSeq;

    public long LatestSeq
    {
        get { lock (_lock) return _latestSeq; }
    }

    public void Add(ServerSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_lock)
        {
            if (sample.Seq != _latestSeq + 1)
            {
                throw new InvalidOperationException($"Sample {sample.Seq} does not follow {_latestSeq}.");
            }

            _ring[(sample.Seq - 1) % _ring.Length] = sample;
            _latestSeq = sample.Seq;
        }
    }

    /// <summary>Samples with Seq &gt; <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    public SamplePage After(long after, int max)
    {
        lock (_lock)
        {
            var first = Math.Max(1, _latestSeq - _ring.Length + 1);
            var from = Math.Max(after + 1, first);
            var count = (int)Math.Clamp(_latestSeq - from + 1, 0, max);
            var samples = new ServerSample[count];
            for (var i = 0; i < count; i++)
            {
                samples[i] = _ring[(from + i - 1) % _ring.Length];
            }

            return new SamplePage(_latestSeq == 0 ? 1 : first, _latestSeq, samples);
        }
    }
}
