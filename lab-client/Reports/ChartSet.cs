using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// The charts of a run, one colour per variant throughout: offered vs achieved, outcomes per second, latency,
/// pool and OS threads, queues (with the client's outstanding requests), memory (virtual apart), memory per
/// thread, and the latency percentile spectrum. Time is seconds since each variant's t0, so variants line up
/// phase by phase. With repetitions, each variant is drawn from its first complete repetition (the caption says so).
/// </summary>
public static class ChartSet
{
    /// <summary>The repetition a variant's charts show.</summary>
    public static RunAnalysis Representative(VariantAggregate v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return v.Runs.FirstOrDefault(r => r.Summary.Complete) ?? v.Runs[0];
    }

    public static IReadOnlyList<ChartSpec> For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var v = report.Variants;
        var bands = v.Count > 0 ? Representative(v[0]).Data.Phases : [];
        var repeated = report.Repetitions > 1
            ? " Repetition shown: " + string.Join(", ", v.Select(x => $"{x.Name} #{Representative(x).Summary.Repetition}")) + $" of {report.Repetitions}."
            : "";
        Series Line(VariantAggregate r, string label, Func<IntervalRow, double?> f, LineStyle style = LineStyle.Solid) =>
            new(label, Representative(r).Intervals.Select(i => (i.MidS, f(i) ?? double.NaN)).ToList(), Palette.Variant(r.Index), style);
        var server = v.Where(x => x.HasTelemetry).ToList();
        var noTelemetry = v.Where(x => !x.HasTelemetry).Select(x => x.Name).ToList();
        var serverCaption = noTelemetry.Count == 0 ? "" : $" No telemetry from {string.Join(", ", noTelemetry)} (the target gives none).";

        var charts = new List<ChartSpec>
        {
            new("throughput", "Offered load vs achieved throughput", "time since load start (s)", "requests/s",
                [.. v.SelectMany(r => new[]
                {
                    Line(r, $"{r.Name} offered", i => i.PerS(i.Offered), LineStyle.Dashed),
                    Line(r, $"{r.Name} 2xx", i => i.PerS(i.Ok)),
                })], bands, Caption: "dashed: scheduled arrivals; solid: 2xx answers, per second." + repeated),
        };

        foreach (var r in v)
        {
            var rows = Representative(r).Intervals;
            List<(double, double)> Rate(Func<IntervalRow, long> f) => [.. rows.Select(i => (i.MidS, i.PerS(f(i))))];
            charts.Add(new ChartSpec($"outcomes-{r.Name}", $"Outcomes per second — {r.Name}", "time since load start (s)", "responses/s",
            [
                new("2xx", Rate(i => i.Ok), Palette.Ok),
                new("503", Rate(i => i.Rejected503), Palette.Rejected503),
                new("other errors", Rate(i => i.Errors), Palette.Errors),
                new("client timeouts", Rate(i => i.Timeouts), Palette.Timeouts, LineStyle.Dashed),
                new("dropped (client cap)", Rate(i => i.Dropped), Palette.Dropped, LineStyle.Dotted),
            ], bands, Caption: "by end time; dropped by intended time." + repeated));
        }

        charts.Add(new ChartSpec("latency", "Latency of answered requests, from the intended send time", "time since load start (s)", "ms (log scale)",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Name} p99", i => i.LatencyP99Ms),
                Line(r, $"{r.Name} p50", i => i.LatencyP50Ms, LineStyle.Dashed),
            })], bands, LogY: true, Caption: "requests answered in each interval; client timeouts have no latency (see the outcomes charts)." + repeated));

        charts.Add(new ChartSpec("threads", "Thread-pool threads and OS threads (server)", "time since load start (s)", "threads",
            [.. server.SelectMany(r => new[]
            {
                Line(r, $"{r.Name} pool", i => i.PoolThreads),
                Line(r, $"{r.Name} OS", i => i.OsThreads, LineStyle.Dashed),
            })], bands,
            References: [.. server.Where(r => r.First.ConfiguredMinThreads is not null)
                .Select(r => new ReferenceLine(r.First.ConfiguredMinThreads!.Value, $"{r.Name} min threads ({r.First.ConfiguredMinThreads})", Palette.Variant(r.Index)))],
            Caption: "dotted: configured minimum." + serverCaption + repeated));

        charts.Add(new ChartSpec("queues", "Queues: pool work items and limiter (server), requests outstanding at the client", "time since load start (s)", "items",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Name} pool queue", i => i.PoolQueue),
                Line(r, $"{r.Name} limiter queue", i => i.LimiterQueue, LineStyle.Dashed),
                Line(r, $"{r.Name} in flight in the server", i => i.ActiveRequests, LineStyle.Dotted),
                Line(r, $"{r.Name} outstanding at the client", i => i.Outstanding, LineStyle.DashDot),
            })], bands, Caption: "outstanding at the client: sent and not yet answered — includes requests the server has not even accepted." + serverCaption + repeated));

        charts.Add(new ChartSpec("memory", "Memory: resident, private, GC heap (server)", "time since load start (s)", "MB",
            [.. server.SelectMany(r => new[]
            {
                Line(r, $"{r.Name} RSS", i => i.RssMb),
                Line(r, $"{r.Name} private", i => i.PrivateMb, LineStyle.Dashed),
                Line(r, $"{r.Name} GC heap", i => i.GcHeapMb, LineStyle.Dotted),
            })], bands, Caption: "private = VmData: counts every thread's stack reservation." + serverCaption));

        charts.Add(new ChartSpec("memory-virtual", "Virtual memory (server)", "time since load start (s)", "MB",
            [.. server.Select(r => Line(r, $"{r.Name} virtual", i => i.VirtualMb))], bands,
            Caption: "address space: 8 MB reserved per thread on Linux, plus the GC's reservation." + serverCaption));

        if (MemoryPerThread(v) is { } perThread) charts.Add(perThread);

        charts.Add(new ChartSpec("spectrum", "Latency percentile spectrum of answered requests, from the intended send time", "percentile", "ms (log scale)",
            [.. v.Select(r => new Series(r.Name, Representative(r).Spectrum, Palette.Variant(r.Index)))], [], LogY: true, XAxis: XAxisKind.Nines,
            Caption: "client timeouts are not in it: see each variant's timeout share." + repeated));
        return charts;
    }

    /// <summary>C4: memory against the number of OS threads, next to the source's 1 MB per thread; only when threads grew by 100 or more.</summary>
    private static ChartSpec? MemoryPerThread(IReadOnlyList<VariantAggregate> v)
    {
        var grown = v.Select(Representative).Where(r => r.Data.Samples.Count > 1
            && r.Data.Samples.Max(s => s.ProcessThreadCount) - r.Data.Samples.Min(s => s.ProcessThreadCount) >= 100).ToList();
        if (grown.Count == 0) return null;
        var series = new List<Series>();
        foreach (var r in grown)
        {
            // Measured from the last sample before the load (the idle process), like the reference line.
            var before = r.Data.Samples.LastOrDefault(s => s.UnixMs < r.Data.T0UnixMs);
            var samples = r.Data.Samples.Where(s => s.UnixMs >= r.Data.T0UnixMs).Prepend(before).OfType<Lab.Contracts.ServerSample>().ToList();
            if (samples.Count == 0) continue;
            var first = samples[0];
            // Below 1 MB added, a log axis only magnifies noise: those points are left out.
            Series Delta(string what, Func<Lab.Contracts.ServerSample, long> f, LineStyle style) =>
                new($"{r.Data.Name} {what}", samples.Select(s =>
                {
                    var mb = (f(s) - f(first)) / (1024.0 * 1024);
                    return ((double)s.ProcessThreadCount, mb >= 1 ? mb : double.NaN);
                }).ToList(), Palette.Variant(r.Data.VariantIndex), style);
            series.Add(Delta("RSS", s => s.WorkingSetBytes, LineStyle.Solid));
            series.Add(Delta("private", s => s.PrivateBytes, LineStyle.Dashed));
            series.Add(Delta("virtual", s => s.VirtualBytes, LineStyle.Dotted));
        }

        var x0 = grown.Min(r => (r.Data.Samples.LastOrDefault(s => s.UnixMs < r.Data.T0UnixMs) ?? r.Data.Samples[0]).ProcessThreadCount);
        var x1 = grown.Max(r => r.Data.Samples.Max(s => s.ProcessThreadCount));
        series.Add(new Series("source: 1 MB/thread", [.. Enumerable.Range(1, 40).Select(i => x0 + (x1 - x0) * i / 40.0).Select(x => (x, x - x0))], Palette.Offered, LineStyle.Dashed));
        return new ChartSpec("memory-per-thread", "Memory added per OS thread", "OS threads in the server process", "MB added since the load began (log scale)",
            series, [], LogY: true, Caption: "slope = memory per thread; grey: the source's 1 MB per thread");
    }
}
