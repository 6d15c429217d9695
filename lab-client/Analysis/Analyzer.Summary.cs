using Lab.Client.Load;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>The summary metrics of a variant run, keyed as checks name them, over the load window and the drain.</summary>
public static partial class Analyzer
{
    private static VariantSummary Summarize(VariantRunData v, RunAccumulator acc, List<IntervalRow> rows, ClientOptions client)
    {
        var m = new Dictionary<string, double>(StringComparer.Ordinal);
        Percentiles(m, "latency", acc.Latency);
        Percentiles(m, "latencyWithTimeouts", acc.LatencyWithTimeouts);
        Percentiles(m, "serviceTime", acc.ServiceTime);
        m["lag.p50"] = acc.Lag.ExactMs(0.50);
        m["lag.p90"] = acc.Lag.ExactMs(0.90);
        m["lag.p99"] = acc.Lag.ExactMs(0.99);
        m["lag.max"] = acc.Lag.MaxMs;

        // Rates: what the schedule offered over the profile, and 2xx over the time actually taken (a server that
        // answers everything, but late, has not kept up).
        var durationS = Math.Max(1e-9, v.ProfileDurationS);
        var scheduled = acc.Scheduled;
        m["offered.mean"] = scheduled / durationS;
        m["offered.max"] = acc.OfferedPerSecond.Count == 0 ? 0 : acc.OfferedPerSecond.Values.Max();
        var lastAnswerS = double.IsNaN(acc.LastAnswerMs) ? 0 : acc.LastAnswerMs / 1000;
        m["throughput.mean"] = acc.Count(Outcome.Ok) / Math.Max(durationS, lastAnswerS);
        m["throughput.max"] = acc.OkPerSecond.Count == 0 ? 0 : acc.OkPerSecond.Values.Max();
        m["count.scheduled"] = scheduled;
        m["count.sent"] = acc.Sent;
        m["count.answered"] = acc.Answered;
        m["count.ok"] = acc.Count(Outcome.Ok);
        m["count.503"] = acc.Count(Outcome.Status503);
        m["count.5xx"] = acc.Count(Outcome.Status5xx);
        m["count.4xx"] = acc.Count(Outcome.Status4xx);
        m["count.timeout"] = acc.Count(Outcome.Timeout);
        m["count.error"] = acc.Count(Outcome.Status5xx) + acc.Count(Outcome.Status4xx) + acc.Count(Outcome.Other) + acc.Count(Outcome.ConnectionError);
        m["count.dropped"] = acc.Count(Outcome.Dropped);
        m["count.aborted"] = acc.Count(Outcome.Aborted);
        double Share(double n) => scheduled == 0 ? double.NaN : n / scheduled;
        foreach (var key in new[] { "ok", "503", "5xx", "timeout", "error", "dropped", "aborted" }) m[$"share.{key}"] = Share(m[$"count.{key}"]);

        // Windows: the load (until the last sending phase ends) and the drain after it, up to the last interval.
        // A check on queue.max therefore cannot pass on a spike that came after the last arrival, and the pool's
        // growth (injection.rate, threads.final, injections.*) during the load is not the growth of the drain.
        var loadEndS = v.Load.LoadEndS;
        var endS = rows.Count == 0 ? loadEndS : rows[^1].StartS + rows[^1].WidthS;
        var timeline = Timeline(v);
        var load = timeline.Where(x => x.T >= 0 && x.T < loadEndS).Select(x => x.S).ToList();
        var drain = timeline.Where(x => x.T >= loadEndS && x.T <= endS).Select(x => x.S).ToList();
        // The whole observation is a window too (run.*): what the pool did from t0 to the end, e.g. for a model of the whole run.
        var during = timeline.Where(x => x.T >= 0 && x.T <= endS).Select(x => x.S).ToList();
        Windowed(m, "load", load, rows.Where(r => r.StartS < loadEndS).ToList());
        Windowed(m, "drain", drain, rows.Where(r => r.StartS >= loadEndS).ToList());
        Windowed(m, "run", during, rows);
        PoolEventMetrics(m, "load", v, 0, loadEndS, last: false);
        PoolEventMetrics(m, "drain", v, loadEndS, endS, last: true);
        PoolEventMetrics(m, "run", v, 0, endS, last: true);
        foreach (var key in m.Keys.Where(k => k.StartsWith("load.", StringComparison.Ordinal)).ToList()) m[key["load.".Length..]] = m[key];

        // What each extra OS thread cost (C4) is a slope, not a level, so it takes every sample of the observation.
        double PerThreadKb(Func<ServerSample, double> bytes) =>
            Stats.Slope(during.Select(s => ((double)s.ProcessThreadCount, bytes(s))).ToList()) / 1024;
        m["memoryPerThread.rssKb"] = PerThreadKb(s => s.WorkingSetBytes);
        m["memoryPerThread.privateKb"] = PerThreadKb(s => s.PrivateBytes);
        m["memoryPerThread.virtualKb"] = PerThreadKb(s => s.VirtualBytes);

        StackMetrics(m, v);

        // Recovery: from the end of the last sending phase to the last answer — when the backlog was answered. When it
        // ended otherwise (the last request to end timed out or failed, or some were still in flight at the drain's
        // bound), the server never caught up within the run: recovery.cleared is 0 and recovery.s a lower bound, to that
        // last end or the record's end, like a latency cut off by the timeout. (It read "0 s" for a C1 sync server whose
        // last answer came mid-burst and whose 811 outstanding requests all timed out.)
        var cleared = acc.Count(Outcome.Aborted) == 0 && !double.IsNaN(acc.LastAnswerMs) && !(acc.LastEndMs > acc.LastAnswerMs);
        var recoveredAtMs = cleared ? acc.LastAnswerMs
            : acc.Count(Outcome.Aborted) > 0 ? Math.Max(endS * 1000, double.IsNaN(acc.LastEndMs) ? 0 : acc.LastEndMs)
            : double.IsNaN(acc.LastEndMs) ? double.NaN : acc.LastEndMs;
        m["recovery.s"] = double.IsNaN(recoveredAtMs) ? double.NaN : Math.Max(0, recoveredAtMs / 1000 - loadEndS);
        m["recovery.cleared"] = acc.Sent == 0 ? double.NaN : cleared ? 1 : 0;

        var threshold = client.LagThresholdMs ?? ClientLimitRule.DefaultThresholdMs(v.Load);
        var judgement = ClientLimitRule.Judge(acc.Lag.ExactMs, acc.Sent, acc.Count(Outcome.Dropped), client.InFlightCap, threshold);
        return new VariantSummary(v.Name, v.Repetition, v.Status, m, judgement.Limited, judgement.Why, v.ConfiguredMinThreads, v.Endpoints, v.HasTelemetry, client.TimeoutS);
    }

    /// <summary>
    /// Maxima, first and last thread counts and the injection rate of one window: the server's samples and the
    /// client's outstanding requests. A window's own samples only, so a pool that grew after the last arrival
    /// shows in the drain's numbers, not as growth during the load.
    /// </summary>
    private static void Windowed(Dictionary<string, double> m, string window, List<ServerSample> samples, List<IntervalRow> rows)
    {
        double MaxOf(Func<ServerSample, double> f) => samples.Count == 0 ? double.NaN : samples.Max(f);
        m[$"{window}.threads.start"] = samples.Count == 0 ? double.NaN : samples[0].ThreadPoolThreadCount;
        m[$"{window}.threads.max"] = MaxOf(s => s.ThreadPoolThreadCount);
        m[$"{window}.threads.final"] = samples.Count == 0 ? double.NaN : samples[^1].ThreadPoolThreadCount;
        m[$"{window}.osThreads.max"] = MaxOf(s => s.ProcessThreadCount);
        m[$"{window}.queue.max"] = MaxOf(s => s.ThreadPoolQueueLength);
        m[$"{window}.limiterQueue.max"] = MaxOf(s => s.LimiterQueuedRequests);
        m[$"{window}.connections.max"] = MaxOf(s => s.BackendOpenConnections);
        m[$"{window}.inFlight.max"] = MaxOf(s => s.ActiveRequests);
        m[$"{window}.memory.rssMax"] = MaxOf(s => s.WorkingSetBytes / Mb);
        m[$"{window}.memory.privateMax"] = MaxOf(s => s.PrivateBytes / Mb);
        m[$"{window}.memory.virtualMax"] = MaxOf(s => s.VirtualBytes / Mb);
        m[$"{window}.memory.gcHeapMax"] = MaxOf(s => s.GcHeapBytes / Mb);
        m[$"{window}.outstanding.max"] = rows.Count == 0 ? double.NaN : rows.Max(r => r.Outstanding);
        m[$"{window}.injection.rate"] = Stats.InjectionRate(samples.Select(s => (s.MonoMs / 1000, s.ThreadPoolThreadCount, s.ThreadPoolQueueLength)).ToList());
    }

    private static void Percentiles(Dictionary<string, double> m, string group, Distribution d)
    {
        m[$"{group}.p50"] = d.ExactMs(0.50);
        m[$"{group}.p90"] = d.ExactMs(0.90);
        m[$"{group}.p95"] = d.ExactMs(0.95);
        m[$"{group}.p99"] = d.ExactMs(0.99);
        m[$"{group}.p999"] = d.ExactMs(0.999);
        m[$"{group}.max"] = d.MaxMs;
        m[$"{group}.mean"] = d.MeanMs;
    }
}
