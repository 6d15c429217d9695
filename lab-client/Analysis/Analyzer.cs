using Lab.Client.Load;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>
/// Turns a run's raw data into time series and summaries. A pure function of the data: the same
/// folder always gives the same numbers.
/// Latency is over every request that ended (an answer, an error or the client's timeout), from its
/// intended send time; dropped and aborted requests have none.
/// </summary>
public static class Analyzer
{
    private const double Mb = 1024 * 1024;

    public static IReadOnlyList<IntervalRow> Intervals(VariantData v, double intervalS = 1)
    {
        ArgumentNullException.ThrowIfNull(v);
        var ended = v.Requests.Where(r => r.EndMs is not null && r.Outcome is not (Outcome.Dropped or Outcome.Aborted)).ToList();
        var lastS = Math.Max(v.ProfileDurationS, v.Requests.Count == 0 ? 0 : v.Requests.Max(r => (r.EndMs ?? r.IntendedMs) / 1000));
        var count = Math.Max(1, (int)Math.Ceiling(lastS / intervalS));
        var samples = v.Samples.Select(s => (T: (s.UnixMs - v.T0UnixMs) / 1000.0, S: s)).ToList();
        int Bucket(double ms) => Math.Clamp((int)(ms / 1000 / intervalS), 0, count - 1);

        var byIntended = v.Requests.ToLookup(r => Bucket(r.IntendedMs));
        var bySend = v.Requests.Where(r => r.SendMs is not null).ToLookup(r => Bucket(r.SendMs!.Value));
        var byEnd = ended.ToLookup(r => Bucket(r.EndMs!.Value));
        var abortedByIntended = v.Requests.Where(r => r.Outcome == Outcome.Aborted).ToLookup(r => Bucket(r.IntendedMs));

        var rows = new List<IntervalRow>(count);
        for (var i = 0; i < count; i++)
        {
            var start = i * intervalS;
            var arrivals = byIntended[i].ToList();
            var done = byEnd[i].ToList();
            var latency = done.Select(r => r.LatencyMs!.Value).Order().ToList();
            var service = done.Where(r => r.SendMs is not null).Select(r => r.ServiceMs!.Value).Order().ToList();
            var lags = bySend[i].Select(r => r.LagMs!.Value).Order().ToList();
            var inside = samples.Where(x => x.T >= start && x.T < start + intervalS).Select(x => x.S).ToList();
            double? Max(Func<ServerSample, double> f) => inside.Count == 0 ? null : inside.Max(f);
            rows.Add(new IntervalRow(
                v.Name, start,
                arrivals.Count, bySend[i].Count(), done.Count,
                done.Count(r => r.Outcome == Outcome.Ok), done.Count(r => r.Outcome == Outcome.Status503),
                done.Count(r => r.Outcome is Outcome.Status5xx or Outcome.Status4xx or Outcome.Other or Outcome.ConnectionError),
                done.Count(r => r.Outcome == Outcome.Timeout), arrivals.Count(r => r.Outcome == Outcome.Dropped), abortedByIntended[i].Count(),
                Stats.Percentile(latency, 0.50), Stats.Percentile(latency, 0.90), Stats.Percentile(latency, 0.99), Stats.Percentile(latency, 0.999),
                latency.Count == 0 ? double.NaN : latency[^1],
                Stats.Percentile(service, 0.50), Stats.Percentile(service, 0.99),
                Stats.Percentile(lags, 0.99), lags.Count == 0 ? double.NaN : lags[^1],
                Max(s => s.ThreadPoolThreadCount), Max(s => s.ProcessThreadCount), Max(s => s.ThreadPoolQueueLength), Max(s => s.ActiveRequests),
                Max(s => s.LimiterQueuedRequests), Max(s => s.BackendOpenConnections),
                Max(s => s.WorkingSetBytes / Mb), Max(s => s.PrivateBytes / Mb), Max(s => s.VirtualBytes / Mb), Max(s => s.GcHeapBytes / Mb),
                CpuCores(inside)));
        }

        return rows;
    }

    private static double? CpuCores(List<ServerSample> inside)
    {
        if (inside.Count < 2) return null;
        var dt = (inside[^1].MonoMs - inside[0].MonoMs) / 1000;
        return dt > 0 ? (inside[^1].CpuTimeS - inside[0].CpuTimeS) / dt : null;
    }

    public static VariantSummary Summarize(VariantData v, IReadOnlyList<IntervalRow> rows)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(rows);
        var m = new Dictionary<string, double>(StringComparer.Ordinal);
        var ended = v.Requests.Where(r => r.EndMs is not null && r.Outcome is not (Outcome.Dropped or Outcome.Aborted)).ToList();
        var latency = ended.Select(r => r.LatencyMs!.Value).Order().ToList();
        var service = ended.Where(r => r.SendMs is not null).Select(r => r.ServiceMs!.Value).Order().ToList();
        var lags = v.Requests.Where(r => r.SendMs is not null).Select(r => r.LagMs!.Value).Order().ToList();
        Percentiles(m, "latency", latency);
        Percentiles(m, "serviceTime", service);
        m["lag.p50"] = Stats.Percentile(lags, 0.50);
        m["lag.p99"] = Stats.Percentile(lags, 0.99);
        m["lag.max"] = lags.Count == 0 ? double.NaN : lags[^1];

        // Rates over the load profile's duration: what the schedule offered and what came back 2xx.
        var loadRows = rows.Where(r => r.StartS < Math.Max(1, v.ProfileDurationS)).ToList();
        var durationS = Math.Max(1e-9, v.ProfileDurationS);
        long Count(Outcome o) => v.Requests.Count(r => r.Outcome == o);
        var scheduled = v.Requests.Count;
        m["offered.mean"] = scheduled / durationS;
        m["offered.max"] = loadRows.Count == 0 ? 0 : loadRows.Max(r => r.Offered);
        // Goodput over the time actually taken: a server that answers everything, but late, has not kept up.
        var lastEndS = ended.Count == 0 ? 0 : ended.Max(r => r.EndMs!.Value) / 1000;
        m["throughput.mean"] = Count(Outcome.Ok) / Math.Max(durationS, lastEndS);
        m["throughput.max"] = rows.Count == 0 ? 0 : rows.Max(r => r.Ok);
        m["count.scheduled"] = scheduled;
        m["count.sent"] = v.Requests.Count(r => r.SendMs is not null);
        m["count.ok"] = Count(Outcome.Ok);
        m["count.503"] = Count(Outcome.Status503);
        m["count.5xx"] = Count(Outcome.Status5xx);
        m["count.4xx"] = Count(Outcome.Status4xx);
        m["count.timeout"] = Count(Outcome.Timeout);
        m["count.error"] = Count(Outcome.Status5xx) + Count(Outcome.Status4xx) + Count(Outcome.Other) + Count(Outcome.ConnectionError);
        m["count.dropped"] = Count(Outcome.Dropped);
        m["count.aborted"] = Count(Outcome.Aborted);
        double Share(double n) => scheduled == 0 ? double.NaN : n / scheduled;
        foreach (var key in new[] { "ok", "503", "5xx", "timeout", "error", "dropped" }) m[$"share.{key}"] = Share(m[$"count.{key}"]);

        // Server side, over the same window the charts show: from t0 (earlier samples are start-up and
        // warm-up) to the end of the last interval (later ones are the server being stopped).
        var windowEndMs = v.T0UnixMs + rows.Count * (rows.Count > 1 ? (rows[1].StartS - rows[0].StartS) : 1) * 1000;
        var during = v.Samples.Where(s => s.UnixMs >= v.T0UnixMs && s.UnixMs < windowEndMs).ToList();
        double MaxOf(Func<ServerSample, double> f) => during.Count == 0 ? double.NaN : during.Max(f);
        m["threads.start"] = during.Count == 0 ? double.NaN : during[0].ThreadPoolThreadCount;
        m["threads.max"] = MaxOf(s => s.ThreadPoolThreadCount);
        m["threads.final"] = during.Count == 0 ? double.NaN : during[^1].ThreadPoolThreadCount;
        m["osThreads.max"] = MaxOf(s => s.ProcessThreadCount);
        m["queue.max"] = MaxOf(s => s.ThreadPoolQueueLength);
        m["limiterQueue.max"] = MaxOf(s => s.LimiterQueuedRequests);
        m["connections.max"] = MaxOf(s => s.BackendOpenConnections);
        m["injection.rate"] = Stats.InjectionRate(during.Select(s => (s.MonoMs / 1000, s.ThreadPoolThreadCount, s.ThreadPoolQueueLength)).ToList());
        m["memory.rssMax"] = MaxOf(s => s.WorkingSetBytes / Mb);
        m["memory.privateMax"] = MaxOf(s => s.PrivateBytes / Mb);
        m["memory.virtualMax"] = MaxOf(s => s.VirtualBytes / Mb);
        m["memory.gcHeapMax"] = MaxOf(s => s.GcHeapBytes / Mb);
        m["inFlight.max"] = MaxOf(s => s.ActiveRequests);

        // C4: what each extra OS thread costs, as the slope of memory against the thread count.
        double PerThreadKb(Func<ServerSample, double> bytes) =>
            Stats.Slope(during.Select(s => ((double)s.ProcessThreadCount, bytes(s))).ToList()) / 1024;
        m["memoryPerThread.rssKb"] = PerThreadKb(s => s.WorkingSetBytes);
        m["memoryPerThread.privateKb"] = PerThreadKb(s => s.PrivateBytes);
        m["memoryPerThread.virtualKb"] = PerThreadKb(s => s.VirtualBytes);

        // Recovery: from the end of the last phase that sent anything to the end of the last request.
        var lastLoadEndS = v.Phases.Where(p => !p.IsPause).Select(p => p.EndS).DefaultIfEmpty(v.ProfileDurationS).Max();
        m["recovery.s"] = ended.Count == 0 ? double.NaN : Math.Max(0, lastEndS - lastLoadEndS);

        return new VariantSummary(v.Name, v.Status, m, v.ClientLimited, v.ClientLimitedWhy, v.ConfiguredMinThreads, v.Endpoints);
    }

    private static void Percentiles(Dictionary<string, double> m, string group, List<double> sorted)
    {
        m[$"{group}.p50"] = Stats.Percentile(sorted, 0.50);
        m[$"{group}.p90"] = Stats.Percentile(sorted, 0.90);
        m[$"{group}.p95"] = Stats.Percentile(sorted, 0.95);
        m[$"{group}.p99"] = Stats.Percentile(sorted, 0.99);
        m[$"{group}.p999"] = Stats.Percentile(sorted, 0.999);
        m[$"{group}.max"] = sorted.Count == 0 ? double.NaN : sorted[^1];
        m[$"{group}.mean"] = sorted.Count == 0 ? double.NaN : sorted.Average();
    }
}
