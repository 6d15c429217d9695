using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>One variant run analysed: its time series and its summary.</summary>
/// <summary>One variant run analysed: its time series, its summary, and its latency spectrum (answered requests, for the percentile chart).</summary>
public sealed record RunAnalysis(VariantRunData Data, double BucketS, IReadOnlyList<IntervalRow> Intervals, VariantSummary Summary, IReadOnlyList<(double X, double Y)> Spectrum);

/// <summary>
/// Turns a variant run's raw data into time series and summary metrics. A pure function of the files: the
/// same folder always gives the same numbers. Requests are streamed twice from requests.csv (the second pass
/// makes the percentiles exact), so memory is bounded whatever the run's size.
/// Latency percentiles are over answered requests only, from the intended send time: a request the client
/// gave up on has no latency, and the timeout share says how many there were.
/// </summary>
public static partial class Analyzer
{
    private const double Mb = 1024 * 1024;

    private static readonly double[] s_buckets = [0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60];

    /// <summary>
    /// The interval of the time series for a run spanning <paramref name="spanS"/> seconds: the smallest of
    /// 0.1, 0.2, 0.25, 0.5, 1, 2, 5 … 60 s that gives at most <paramref name="maxIntervals"/> intervals, so a
    /// four-second burst is forty points, not four, and an hour is a few hundred.
    /// </summary>
    public static double ChooseBucketS(double spanS, int maxIntervals = 200) =>
        s_buckets.FirstOrDefault(b => spanS / b <= maxIntervals, s_buckets[^1]);

    /// <summary>
    /// The seconds a run's time series must cover: the longest variant run as it happened (load and drain, from
    /// run.json), or its profile plus the drain bound when that was not recorded. Requests end within it: the
    /// drain aborts what is left.
    /// </summary>
    public static double SpanS(RunData run, ClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(client);
        return run.Runs.Select(r => Math.Max(r.ProfileDurationS, r.Run.DurationS ?? r.ProfileDurationS + client.DrainS))
            .DefaultIfEmpty(run.Scenario.Variants.Select(v => v.Load.DurationS).DefaultIfEmpty(1).Max() + client.DrainS).Max();
    }

    /// <param name="folder">The run folder.</param>
    /// <param name="v">The variant run.</param>
    /// <param name="bucketS">The time series' interval.</param>
    /// <param name="client">The client settings the run used.</param>
    /// <param name="spanS">The seconds the series covers (<see cref="SpanS"/>); anything recorded later falls in the last interval, so memory stays bounded by the span, not by the data.</param>
    public static RunAnalysis Analyze(string folder, VariantRunData v, double bucketS, ClientOptions client, double? spanS = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(client);
        var maxIntervals = (int)Math.Ceiling((spanS ?? v.ProfileDurationS + client.DrainS) / bucketS) + 2;
        var acc = new RunAccumulator(bucketS, maxIntervals);
        foreach (var r in RequestLog.Read(folder, v.Name, v.Repetition)) acc.Add(r);
        acc.BeginRefine();
        foreach (var r in RequestLog.Read(folder, v.Name, v.Repetition)) acc.Refine(r);

        var rows = WithPoolEvents(v, Intervals(v, acc, bucketS), bucketS);
        var summary = Summarize(v, acc, rows, client);
        return new RunAnalysis(v, bucketS, rows, summary with { Metrics = WithServerTimings(folder, v, summary.Metrics) }, Spectrum(acc.Latency));
    }

    private static List<IntervalRow> Intervals(VariantRunData v, RunAccumulator acc, double bucketS)
    {
        var lastS = Math.Max(v.ProfileDurationS, double.IsNaN(acc.LastEndMs) ? 0 : acc.LastEndMs / 1000);
        var count = Math.Max(1, Math.Max((int)Math.Ceiling(lastS / bucketS - 1e-9), acc.LastBucket + 1));
        var samples = Timeline(v);
        var rows = new List<IntervalRow>(count);
        long outstanding = 0;
        var next = 0;
        ServerSample? held = null;
        for (var i = 0; i < count; i++)
        {
            var start = i * bucketS;
            var c = acc.Interval(i, ref outstanding);
            var inside = new List<ServerSample>();
            while (next < samples.Count && samples[next].T < start + bucketS)
            {
                if (samples[next].T >= start) inside.Add(samples[next].S);
                held = samples[next].S;
                next++;
            }

            // Intervals shorter than the sample interval: a gauge holds its last value until the next sample.
            if (inside.Count == 0 && held is not null && samples.Count > 0 && start - samples[Math.Max(0, next - 1)].T <= Math.Max(0.5, 2 * bucketS))
            {
                inside.Add(held);
            }

            double? Max(Func<ServerSample, double> f) => inside.Count == 0 ? null : inside.Max(f);
            rows.Add(new IntervalRow(
                v.Name, v.Repetition, Math.Round(start, 3), bucketS,
                c.Offered, c.Sent, c.Answered, c.Ok, c.R503, c.Errors, c.Timeouts, c.Dropped, c.Aborted, Math.Max(0, outstanding),
                c.P50, c.P90, c.P99, c.P999, c.Max, c.S50, c.S99, c.Lag99, c.LagMax,
                Max(s => s.ThreadPoolThreadCount), Max(s => s.ProcessThreadCount), Max(s => s.ThreadPoolQueueLength), Max(s => s.ActiveRequests),
                Max(s => s.LimiterQueuedRequests), Max(s => s.BackendOpenConnections),
                Max(s => s.WorkingSetBytes / Mb), Max(s => s.PrivateBytes / Mb), Max(s => s.VirtualBytes / Mb), Max(s => s.GcHeapBytes / Mb),
                CpuCores(inside)));
        }

        return rows;
    }

    /// <summary>
    /// The <c>Server-Timing</c> metrics the server reported for this run, as <c>timing_&lt;name&gt;.p50</c> … <c>.max</c>,
    /// <c>.mean</c> (for a 0/1 flag, the share of requests where it was 1) and <c>.count</c>; exact, in two passes.
    /// </summary>
    private static Dictionary<string, double> WithServerTimings(string folder, VariantRunData v, IReadOnlyDictionary<string, double> metrics)
    {
        var all = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        var byName = new Dictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var (name, dur) in RequestLog.ReadServerTimings(folder, v.Name, v.Repetition))
        {
            if (!byName.TryGetValue(name, out var d))
            {
                if (byName.Count >= 64) continue; // a server that sends hundreds of names does not grow the report
                d = new Distribution();
                byName[name] = d;
            }

            d.Record(dur);
        }

        if (byName.Count == 0) return all;
        foreach (var d in byName.Values) d.BeginRefine();
        foreach (var (name, dur) in RequestLog.ReadServerTimings(folder, v.Name, v.Repetition))
        {
            if (byName.TryGetValue(name, out var d)) d.Refine(dur);
        }

        foreach (var (name, d) in byName)
        {
            var g = $"timing_{name}";
            all[$"{g}.p50"] = d.ExactMs(0.50);
            all[$"{g}.p90"] = d.ExactMs(0.90);
            all[$"{g}.p99"] = d.ExactMs(0.99);
            all[$"{g}.max"] = d.MaxMs;
            all[$"{g}.mean"] = d.MeanMs;
            all[$"{g}.count"] = d.Count;
        }

        return all;
    }

    /// <summary>Latency at percentiles spaced evenly on the "nines" axis (x = −log10(1 − p)), up to what the count supports.</summary>
    private static List<(double X, double Y)> Spectrum(Distribution latency)
    {
        if (latency.Count == 0) return [];
        var maxNines = Math.Log10(latency.Count);
        var points = new List<(double, double)>();
        for (var x = 0.0; x <= maxNines + 1e-9; x += 0.05)
        {
            points.Add((Math.Round(x, 2), latency.ApproximateMs(1 - Math.Pow(10, -x))));
        }

        return points;
    }

    /// <summary>Samples with their time in seconds after the variant run's t0, in order.</summary>
    private static List<(double T, ServerSample S)> Timeline(VariantRunData v) =>
        [.. v.Samples.Select(s => (T: (s.UnixMs - v.T0UnixMs) / 1000.0, S: s)).OrderBy(x => x.T)];

    private static double? CpuCores(List<ServerSample> inside)
    {
        if (inside.Count < 2) return null;
        var dt = (inside[^1].MonoMs - inside[0].MonoMs) / 1000;
        return dt > 0 ? (inside[^1].CpuTimeS - inside[0].CpuTimeS) / dt : null;
    }
}
