using System.Numerics;

namespace Lab.Client.Load;

/// <summary>What the engine did in one second: arrivals handled, requests sent, arrivals dropped, and the dispatch lag of the sends.</summary>
public readonly record struct DispatchSecond(long Arrivals, long Sent, long Dropped, double LagP99Ms, double LagMaxMs)
{
    public static readonly DispatchSecond None = new(0, 0, 0, double.NaN, double.NaN);
}

/// <summary>
/// The engine's own per-second counts and dispatch-lag histogram, kept at the moment of each arrival and send, for the
/// live progress line and client-metrics.csv. (The lag used to come from the finished requests' records, so a second
/// whose requests had not answered yet — every second, with a 1 s endpoint — showed "–"; and a tick that came late
/// mixed record counts with engine counts, so a second could show −152 drops.) Cheap enough for the hot path: an
/// arrival or a send is one or two interlocked increments, no lock and no allocation. Lag buckets are log-linear,
/// 16 per power of two (a percentile is reported at most 1/16 ≈ 6 % above the value; the maximum is exact), for
/// lags from 0 to about half an hour. A ring of <see cref="KeptSeconds"/> seconds: the ticker reads each second
/// just after it ends.
/// </summary>
public sealed class DispatchSeconds
{
    public const int KeptSeconds = 8;
    private const int SubBucketBits = 4;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Octaves = 32 - SubBucketBits;
    internal const int BucketCount = SubBuckets + Octaves * SubBuckets;

    // Per slot: [0] arrivals, [1] sent, [2] dropped, [3] max lag µs, then the lag buckets.
    private const int Header = 4;
    private const int Stride = Header + BucketCount;

    private readonly long[] _slots = new long[KeptSeconds * Stride];
    private readonly int[] _second = Enumerable.Repeat(-1, KeptSeconds).ToArray();
    private readonly Lock _roll = new();

    /// <summary>An arrival was handled (sent or dropped) in <paramref name="second"/>.</summary>
    public void Arrival(int second, bool dropped)
    {
        if (Slot(second) is not { } at) return;
        Interlocked.Increment(ref _slots[at]);
        if (dropped) Interlocked.Increment(ref _slots[at + 2]);
    }

    /// <summary>A request was sent in <paramref name="second"/>, <paramref name="lagUs"/> after its intended time (negative counts as 0).</summary>
    public void Sent(int second, long lagUs)
    {
        if (Slot(second) is not { } at) return;
        Interlocked.Increment(ref _slots[at + 1]);
        var us = Math.Clamp(lagUs, 0, int.MaxValue);
        Interlocked.Increment(ref _slots[at + Header + BucketOf(us)]);
        var max = Volatile.Read(ref _slots[at + 3]);
        while (us > max)
        {
            var seen = Interlocked.CompareExchange(ref _slots[at + 3], us, max);
            if (seen == max) break;
            max = seen;
        }
    }

    /// <summary>
    /// One second, with its lag percentile <paramref name="p"/> (0–1): <see cref="DispatchSecond.None"/> if nothing
    /// happened in it, null when it is gone from the ring (read more than <see cref="KeptSeconds"/> seconds late).
    /// </summary>
    public DispatchSecond? Read(int second, double p = 0.99)
    {
        if (second < 0) return null;
        var slot = second % KeptSeconds;
        var owner = Volatile.Read(ref _second[slot]);
        if (owner > second) return null;
        if (owner < second) return DispatchSecond.None;
        var at = slot * Stride;
        var counts = new long[BucketCount];
        long total = 0;
        for (var b = 0; b < BucketCount; b++) total += counts[b] = Volatile.Read(ref _slots[at + Header + b]);
        var (arrivals, sent, dropped) = (Volatile.Read(ref _slots[at]), Volatile.Read(ref _slots[at + 1]), Volatile.Read(ref _slots[at + 2]));
        if (total == 0) return new DispatchSecond(arrivals, sent, dropped, double.NaN, double.NaN);
        var max = Volatile.Read(ref _slots[at + 3]);
        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        var value = max;
        for (var b = 0; b < BucketCount; b++)
        {
            seen += counts[b];
            if (seen < rank) continue;
            value = Math.Min(HighestIn(b), max);
            break;
        }

        return new DispatchSecond(arrivals, sent, dropped, value / 1000.0, max / 1000.0);
    }

    /// <summary>The bucket of a value in µs: exact below 16, then 16 equal steps per power of two.</summary>
    internal static int BucketOf(long us)
    {
        if (us < SubBuckets) return (int)us;
        var octave = BitOperations.Log2((ulong)us) - SubBucketBits + 1;
        var sub = (int)(us >> (octave - 1)) - SubBuckets;
        return SubBuckets + (octave - 1) * SubBuckets + sub;
    }

    /// <summary>The largest value a bucket holds, µs.</summary>
    internal static long HighestIn(int bucket)
    {
        if (bucket < SubBuckets) return bucket;
        var octave = (bucket - SubBuckets) / SubBuckets + 1;
        var sub = (bucket - SubBuckets) % SubBuckets + SubBuckets;
        return ((long)(sub + 1) << (octave - 1)) - 1;
    }

    /// <summary>The start of a second's slot, taking it over from the second <see cref="KeptSeconds"/> before if needed; null for a second already gone.</summary>
    private int? Slot(int second)
    {
        if (second < 0) return null;
        var slot = second % KeptSeconds;
        if (Volatile.Read(ref _second[slot]) != second && !Roll(slot, second)) return null;
        return slot * Stride;
    }

    /// <summary>
    /// A new second takes the slot of the one <see cref="KeptSeconds"/> before it: cleared once, under a lock, once a
    /// second. False for an event older than the slot's second (a thread descheduled for longer than the ring): dropped.
    /// </summary>
    private bool Roll(int slot, int second)
    {
        lock (_roll)
        {
            if (_second[slot] > second) return false;
            if (_second[slot] == second) return true;
            Array.Clear(_slots, slot * Stride, Stride);
            Volatile.Write(ref _second[slot], second);
            return true;
        }
    }
}
