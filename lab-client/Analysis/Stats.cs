namespace Lab.Client.Analysis;

/// <summary>Percentiles and the thread-injection rate: small, exact, table-tested.</summary>
public static class Stats
{
    /// <summary>Nearest-rank percentile of <paramref name="sorted"/> (ascending): the smallest value with at least p of the values at or below it. NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Least-squares slope of y against x — e.g. bytes of memory per OS thread across a run's samples (C4).
    /// NaN when x spans less than <paramref name="minRange"/>: a slope over a few threads is noise.
    /// </summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points, double minRange = 50)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2 || points.Max(p => p.X) - points.Min(p => p.X) < minRange) return double.NaN;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    /// <summary>
    /// Pool threads added per second while work was queued: over consecutive samples where the first one
    /// had work waiting (queue length &gt; 0), the sum of thread-count increases divided by the time spent.
    /// This is the rate the pool grew at when it was needed — the number claim C2 is about. NaN if work
    /// waited less than <paramref name="minQueuedS"/> in all: a rate over an instant is noise (measured: an
    /// async run whose queue held one item for a moment showed "2.5 threads/s").
    /// </summary>
    public static double InjectionRate(IReadOnlyList<(double TimeS, int Threads, long Queue)> samples, double minQueuedS = 1.0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        double added = 0, time = 0;
        for (var i = 1; i < samples.Count; i++)
        {
            var (t0, n0, q0) = samples[i - 1];
            var (t1, n1, _) = samples[i];
            if (q0 <= 0 || t1 <= t0) continue;
            added += Math.Max(0, n1 - n0);
            time += t1 - t0;
        }

        return time >= minQueuedS && time > 0 ? added / time : double.NaN;
    }
}
