using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// The charts of a run (DESIGN.md §8), one colour per variant throughout: offered vs achieved,
/// outcomes per second, latency, pool and OS threads, queues, memory (virtual apart), and the latency
/// percentile spectrum. Time is seconds since each variant's t0, so variants line up phase by phase.
/// </summary>
public static class ChartSet
{
    public static IReadOnlyList<ChartSpec> For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bands = report.Variants.Count > 0 ? report.Variants[0].Data.Phases : [];
        var v = report.Variants;
        Series Line(VariantReport r, string label, Func<IntervalRow, double?> f, LineStyle style = LineStyle.Solid) =>
            new(label, r.Intervals.Select(i => (i.StartS + 0.5, f(i) ?? double.NaN)).ToList(), Palette.Variant(r.Data.Index), style);

        var charts = new List<ChartSpec>
        {
            new("throughput", "Offered load vs achieved throughput", "time since load start (s)", "requests/s",
                [.. v.SelectMany(r => new[]
                {
                    Line(r, $"{r.Data.Name} offered", i => i.Offered, LineStyle.Dashed),
                    Line(r, $"{r.Data.Name} 2xx", i => i.Ok),
                })], bands, Caption: "dashed: scheduled arrivals; solid: 2xx answers"),
        };

        foreach (var r in v)
        {
            charts.Add(new ChartSpec($"outcomes-{r.Data.Name}", $"Outcomes per second — {r.Data.Name}", "time since load start (s)", "responses/s",
            [
                new("2xx", r.Intervals.Select(i => (i.StartS + 0.5, (double)i.Ok)).ToList(), Palette.Ok),
                new("503", r.Intervals.Select(i => (i.StartS + 0.5, (double)i.Rejected503)).ToList(), Palette.Rejected503),
                new("other errors", r.Intervals.Select(i => (i.StartS + 0.5, (double)i.Errors)).ToList(), Palette.Errors),
                new("client timeouts", r.Intervals.Select(i => (i.StartS + 0.5, (double)i.Timeouts)).ToList(), Palette.Timeouts, LineStyle.Dashed),
                new("dropped (client cap)", r.Intervals.Select(i => (i.StartS + 0.5, (double)i.Dropped)).ToList(), Palette.Dropped, LineStyle.Dotted),
            ], bands, Caption: "by end time; dropped by intended time"));
        }

        charts.Add(new ChartSpec("latency", "Latency per second, from the intended send time", "time since load start (s)", "ms (log scale)",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Data.Name} p99", i => i.LatencyP99Ms),
                Line(r, $"{r.Data.Name} p50", i => i.LatencyP50Ms, LineStyle.Dashed),
            })], bands, LogY: true, Caption: "requests that ended in each second"));

        charts.Add(new ChartSpec("threads", "Thread-pool threads and OS threads (server)", "time since load start (s)", "threads",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Data.Name} pool", i => i.PoolThreads),
                Line(r, $"{r.Data.Name} OS", i => i.OsThreads, LineStyle.Dashed),
            })], bands,
            References: [.. v.Where(r => r.Summary.ConfiguredMinThreads is not null)
                .Select(r => new ReferenceLine(r.Summary.ConfiguredMinThreads!.Value, $"{r.Data.Name} min threads ({r.Summary.ConfiguredMinThreads})", Palette.Variant(r.Data.Index)))],
            Caption: "dotted: configured minimum"));

        charts.Add(new ChartSpec("queues", "Queues: pool work items, limiter queue, requests in flight (server)", "time since load start (s)", "items",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Data.Name} pool queue", i => i.PoolQueue),
                Line(r, $"{r.Data.Name} limiter queue", i => i.LimiterQueue, LineStyle.Dashed),
                Line(r, $"{r.Data.Name} in flight", i => i.ActiveRequests, LineStyle.Dotted),
            })], bands));

        charts.Add(new ChartSpec("memory", "Memory: resident, private, GC heap (server)", "time since load start (s)", "MB",
            [.. v.SelectMany(r => new[]
            {
                Line(r, $"{r.Data.Name} RSS", i => i.RssMb),
                Line(r, $"{r.Data.Name} private", i => i.PrivateMb, LineStyle.Dashed),
                Line(r, $"{r.Data.Name} GC heap", i => i.GcHeapMb, LineStyle.Dotted),
            })], bands, Caption: "private = VmData: counts every thread's stack reservation"));

        charts.Add(new ChartSpec("memory-virtual", "Virtual memory (server)", "time since load start (s)", "MB",
            [.. v.Select(r => Line(r, $"{r.Data.Name} virtual", i => i.VirtualMb))], bands,
            Caption: "address space: 8 MB reserved per thread on Linux, plus the GC's reservation"));

        // C4: memory against the number of OS threads, next to the source's 1 MB per thread.
        var grown = v.Where(r => r.Data.Samples.Count > 1 && r.Data.Samples.Max(s => s.ProcessThreadCount) - r.Data.Samples.Min(s => s.ProcessThreadCount) >= 100).ToList();
        if (grown.Count > 0)
        {
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
                    }).ToList(), Palette.Variant(r.Data.Index), style);
                series.Add(Delta("RSS", s => s.WorkingSetBytes, LineStyle.Solid));
                series.Add(Delta("private", s => s.PrivateBytes, LineStyle.Dashed));
                series.Add(Delta("virtual", s => s.VirtualBytes, LineStyle.Dotted));
            }

            var x0 = grown.Min(r => (r.Data.Samples.LastOrDefault(s => s.UnixMs < r.Data.T0UnixMs) ?? r.Data.Samples[0]).ProcessThreadCount);
            var x1 = grown.Max(r => r.Data.Samples.Max(s => s.ProcessThreadCount));
            series.Add(new Series("source: 1 MB/thread", [.. Enumerable.Range(1, 40).Select(i => x0 + (x1 - x0) * i / 40.0).Select(x => (x, x - x0))], Palette.Offered, LineStyle.Dashed));
            charts.Add(new ChartSpec("memory-per-thread", "Memory added per OS thread", "OS threads in the server process", "MB added since the load began (log scale)",
                series, [], LogY: true, Caption: "slope = memory per thread; grey: the source's 1 MB per thread"));
        }

        charts.Add(new ChartSpec("spectrum", "Latency percentile spectrum, from the intended send time", "percentile", "ms (log scale)",
            [.. v.Select(r => new Series(r.Data.Name, Spectrum(r.Data), Palette.Variant(r.Data.Index)))], [], LogY: true, XAxis: XAxisKind.Nines));
        return charts;
    }

    /// <summary>Latency at percentiles spaced evenly on the "nines" axis (x = −log10(1 − p)).</summary>
    public static IReadOnlyList<(double X, double Y)> Spectrum(VariantData v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var sorted = v.Requests.Where(r => r.LatencyMs is not null && r.Outcome is not (Load.Outcome.Dropped or Load.Outcome.Aborted))
            .Select(r => r.LatencyMs!.Value).Order().ToList();
        if (sorted.Count == 0) return [];
        var maxNines = Math.Log10(sorted.Count);
        var points = new List<(double, double)>();
        for (var x = 0.0; x <= maxNines + 1e-9; x += 0.05)
        {
            points.Add((Math.Round(x, 2), Stats.Percentile(sorted, 1 - Math.Pow(10, -x))));
        }

        return points;
    }
}
