using System.Globalization;
using Lab.Client.Analysis;
using Lab.Contracts;

namespace Lab.Client.Reports;

/// <summary>The memory charts: resident/private/GC heap, virtual apart (its scale is the GC's reservation), and memory per OS thread.</summary>
public static partial class ChartSet
{
    /// <summary>
    /// MB, or GB from 10,000 MB up: a chart of hundreds of GB labelled "267k MB" was read as nonsense. Returns the
    /// divisor from MB and the unit's name.
    /// </summary>
    public static (double PerMb, string Unit) MemoryUnit(double maxMb) => maxMb >= 10_000 ? (1024, "GB") : (1, "MB");

    private static IEnumerable<ChartSpec> Memory(IReadOnlyList<VariantAggregate> server, Timeline t, string notes)
    {
        double Max(Func<IntervalRow, double?> f) =>
            server.SelectMany(r => Representative(r).Intervals).Select(i => f(i) ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(0).Max();

        var (div, unit) = MemoryUnit(new[] { Max(i => i.RssMb), Max(i => i.PrivateMb), Max(i => i.GcHeapMb) }.Max());
        yield return Factored(t.Apply(new ChartSpec("memory", "Memory: resident, private, GC heap (server)", Time, unit,
            [.. server.SelectMany(r => new[]
            {
                Line(r, $"{r.Name} RSS", i => i.RssMb / div),
                Line(r, $"{r.Name} private", i => i.PrivateMb / div, LineStyle.Dashed),
                Line(r, $"{r.Name} GC heap", i => i.GcHeapMb / div, LineStyle.Dotted),
            })], t.Bands, Caption: "solid: resident (RSS); dashed: private = VmData, which counts every thread's stack reservation; dotted: GC heap." + notes)),
            server, [("RSS", LineStyle.Solid), ("private", LineStyle.Dashed), ("GC heap", LineStyle.Dotted)]);

        // Virtual memory is mostly the GC's up-front reservation (hundreds of GB on a 64-bit server): from zero the
        // lines are flat. The axis spans the data instead, so the 8 MB stack reserved per new thread shows.
        var (vdiv, vunit) = MemoryUnit(Max(i => i.VirtualMb));
        var lines = server.Select(r => Line(r, $"{r.Name} virtual", i => i.VirtualMb / vdiv)).ToList();
        var low = lines.SelectMany(l => l.Finite).Select(p => p.Y).DefaultIfEmpty(double.NaN).Min();
        yield return t.Apply(new ChartSpec("memory-virtual", "Virtual memory (server)", Time, vunit, lines, t.Bands,
            Caption: "address space: 8 MB reserved per thread on Linux, on top of the GC's reservation"
                + (double.IsFinite(low) ? string.Create(CultureInfo.InvariantCulture, $"; the axis starts near {RunReport.Format(low)} {vunit}, not at zero, to show the change.") : ".") + notes)
        {
            YFromZero = false,
        });
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
            var samples = r.Data.Samples.Where(s => s.UnixMs >= r.Data.T0UnixMs).Prepend(before).OfType<ServerSample>().ToList();
            if (samples.Count == 0) continue;
            var first = samples[0];
            var width = Palette.Width(r.Data.VariantIndex);

            // Below 1 MB added, a log axis only magnifies noise: those points are left out.
            Series Delta(string what, Func<ServerSample, long> f, LineStyle style) =>
                new($"{r.Data.Name} {what}", [.. samples.Select(s =>
                {
                    var mb = (f(s) - f(first)) / (1024.0 * 1024);
                    return ((double)s.ProcessThreadCount, mb >= 1 ? mb : double.NaN);
                })], Palette.Secondary(Palette.Variant(r.Data.VariantIndex), style), style)
                {
                    Width = style == LineStyle.Solid ? width : Palette.SecondaryWidth(r.Data.VariantIndex, style),
                };
            series.Add(Delta("RSS", s => s.WorkingSetBytes, LineStyle.Solid));
            series.Add(Delta("private", s => s.PrivateBytes, LineStyle.Dashed));
            series.Add(Delta("virtual", s => s.VirtualBytes, LineStyle.Dotted));
        }

        var x0 = grown.Min(r => (r.Data.Samples.LastOrDefault(s => s.UnixMs < r.Data.T0UnixMs) ?? r.Data.Samples[0]).ProcessThreadCount);
        var x1 = grown.Max(r => r.Data.Samples.Max(s => s.ProcessThreadCount));
        // A reference, not a measurement: enough points to be a line (more than a sparse series, so no markers).
        var steps = Series.SparseAtMost + 20;
        series.Add(new Series("source: 1 MB/thread", [.. Enumerable.Range(1, steps).Select(i => x0 + (x1 - x0) * i / (double)steps).Select(x => (x, x - x0))], Palette.Offered, LineStyle.Dashed));
        return new ChartSpec("memory-per-thread", "Memory added per OS thread", "OS threads in the server process", "MB added since the load began (log scale)",
            series, [], LogY: true, XAxis: XAxisKind.Linear, Caption: "slope = memory per thread; grey dashed: the source's 1 MB per thread.");
    }
}
