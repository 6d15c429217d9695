using System.Globalization;
using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>
/// The charts of a run, one colour per variant throughout: offered vs achieved, outcomes, latency, every request
/// (for coordinated omission), pool and OS threads with the threads added by reason, where requests wait (client and
/// server), where the server's threads were at the worst moment (a stack snapshot), memory (virtual
/// apart), memory per thread, and the latency percentile spectrum. Time is seconds since each variant's t0, so
/// variants line up phase by phase; rates are per second over the run's intervals, drawn at each interval's
/// middle; the drain after the last arrival is striped. With repetitions, each variant is drawn from its first
/// complete repetition (the caption says so).
/// </summary>
public static partial class ChartSet
{
    public const string Time = "time since load start (s)";

    /// <summary>The repetition a variant's charts show.</summary>
    public static RunAnalysis Representative(VariantAggregate v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return v.Runs.FirstOrDefault(r => r.Summary.Complete) ?? v.Runs[0];
    }

    /// <summary>What every time chart of a run shares: phases, where the drain begins, where the record ends, the interval.</summary>
    public sealed record Timeline(IReadOnlyList<PhaseBand> Bands, double? DrainFromS, double? EndS, double IntervalS)
    {
        public static Timeline Of(IReadOnlyList<VariantAggregate> variants)
        {
            ArgumentNullException.ThrowIfNull(variants);
            if (variants.Count == 0) return new([], null, null, 1);
            var shown = variants.Select(Representative).ToList();
            return new(
                shown[0].Data.Phases,
                shown.Max(r => r.Data.Load.LoadEndS),
                shown.Max(r => r.Intervals.Count == 0 ? r.Data.ProfileDurationS : r.Intervals[^1].StartS + r.Intervals[^1].WidthS),
                shown[0].BucketS);
        }

        public ChartSpec Apply(ChartSpec spec) => spec with { DrainFromS = DrainFromS, EndS = EndS };

        /// <summary>"per second over 0.1 s intervals".</summary>
        public string PerSecond => IntervalS == 1 ? "per second" : string.Create(CultureInfo.InvariantCulture, $"per second over {IntervalS:0.###} s intervals");
    }

    public static IReadOnlyList<ChartSpec> For(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var v = report.Variants;
        var t = Timeline.Of(v);
        var repeated = report.Repetitions > 1
            ? " Repetition shown: " + string.Join(", ", v.Select(x => $"{x.Name} #{Representative(x).Summary.Repetition}")) + $" of {report.Repetitions}."
            : "";
        var server = v.Where(x => x.HasTelemetry).ToList();
        var noTelemetry = v.Where(x => !x.HasTelemetry).Select(x => x.Name).ToList();
        var serverCaption = noTelemetry.Count == 0 ? "" : $" No telemetry from {string.Join(", ", noTelemetry)} (the target gives none).";

        var charts = new List<ChartSpec> { Throughput(v, t, repeated) };
        charts.AddRange(ModelSection.Charts(report, ModelSection.For(report, t.IntervalS), t));
        charts.AddRange(v.Select(r => Outcomes(r, t, repeated)));
        charts.Add(Latency(v, t, repeated));
        charts.AddRange(RequestScatter.For(report, t));

        charts.Add(Threads(server, t, serverCaption, repeated));
        charts.Add(Queues(v, t, serverCaption + repeated));
        if (Stacks(v) is { } stacks) charts.Add(stacks);
        charts.AddRange(Memory(server, t, serverCaption));
        if (MemoryPerThread(v) is { } perThread) charts.Add(perThread);

        charts.Add(new ChartSpec("spectrum", "Latency percentile spectrum of answered requests, from the intended send time", "percentile", "ms (log scale)",
            [.. v.Select(r => new Series(r.Name, Representative(r).Spectrum, Palette.Variant(r.Index)) { Width = Palette.Width(r.Index) })], [], LogY: true, XAxis: XAxisKind.Nines,
            Caption: "client timeouts are not in it: see each variant's timeout share and its request chart." + repeated));
        return charts;
    }

    /// <summary>
    /// One interval value of a variant as a line at the intervals' middles, in the variant's colour and width; a
    /// secondary line (any style but solid) lighter and thinner (<see cref="Palette.Secondary"/>).
    /// </summary>
    private static Series Line(VariantAggregate r, string label, Func<IntervalRow, double?> f, LineStyle style = LineStyle.Solid) =>
        new(label, [.. Representative(r).Intervals.Select(i => (i.MidS, f(i) ?? double.NaN))],
            Palette.Secondary(Palette.Variant(r.Index), style), style)
        {
            Width = style == LineStyle.Solid ? Palette.Width(r.Index) : Palette.SecondaryWidth(r.Index, style),
        };

    /// <summary>The configured minimum of pool threads: one grey line when every variant has the same, else one per variant.</summary>
    private static List<ReferenceLine> MinThreads(List<VariantAggregate> server)
    {
        var set = server.Where(r => r.First.ConfiguredMinThreads is not null).ToList();
        if (set.Count > 1 && set.All(r => r.First.ConfiguredMinThreads == set[0].First.ConfiguredMinThreads) && set.Count == server.Count)
        {
            return [new ReferenceLine(set[0].First.ConfiguredMinThreads!.Value, $"min threads ({set[0].First.ConfiguredMinThreads}), every variant", Palette.Offered)];
        }

        return [.. set.Select(r => new ReferenceLine(r.First.ConfiguredMinThreads!.Value, $"{r.Name} min threads ({r.First.ConfiguredMinThreads})", Palette.Variant(r.Index)))];
    }

    /// <summary>Past this many entries, a legend of one entry per series is factored (<see cref="Factored"/>).</summary>
    public const int MaxLegendEntries = 8;

    /// <summary>
    /// When one legend entry per series would make more than <see cref="MaxLegendEntries"/> (three variants, four
    /// metrics each), the legend names the variants by colour and the metrics by line style instead, then the
    /// extra entries (markers) and the reference lines: every entry fits beside the plot.
    /// </summary>
    public static ChartSpec Factored(ChartSpec spec, IReadOnlyList<VariantAggregate> variants, IReadOnlyList<(string Metric, LineStyle Style)> metrics,
        IReadOnlyList<LegendEntry>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(metrics);
        if (spec.Series.Count + (spec.References?.Count ?? 0) <= MaxLegendEntries) return spec;
        return spec with
        {
            Legend =
            [
                .. variants.Select(v => new LegendEntry(v.Name, Palette.Variant(v.Index), Width: Palette.Width(v.Index))),
                .. metrics.Select(m => new LegendEntry(m.Metric, Palette.Key, m.Style, Width: m.Style == LineStyle.Solid ? 2.5 : 1.6)),
                .. extra ?? [],
                .. (spec.References ?? []).Select(r => new LegendEntry(r.Label, r.Color, LineStyle.Dotted, Width: 1.5)),
            ],
        };
    }

    /// <summary>Something to draw: a finite value other than zero somewhere.</summary>
    private static bool Shows(Series s) => s.Finite.Any(p => p.Y != 0);

    private static ChartSpec Throughput(IReadOnlyList<VariantAggregate> v, Timeline t, string repeated)
    {
        var offered = v.Select(r => Line(r, $"{r.Name} offered", i => i.PerS(i.Offered), LineStyle.Dashed) with { Color = Palette.Variant(r.Index) }).ToList();

        // The same schedule for every variant (the usual case) is one grey line, said once: drawn per variant, the
        // lines lie exactly on top of each other and the one beneath reads as missing.
        var shared = offered.Count > 1 && offered.Skip(1).All(o => SameLine(o, offered[0]));
        var series = new List<Series>();
        if (shared) series.Add(offered[0] with { Label = "offered (every variant)", Color = Palette.Offered, Width = 2.5 });
        else series.AddRange(offered);
        series.AddRange(v.Select(r => Line(r, $"{r.Name} 2xx", i => i.PerS(i.Ok))));
        return t.Apply(new ChartSpec("throughput", "Offered load vs achieved throughput", Time, "requests/s", series, t.Bands,
            Caption: $"dashed: scheduled arrivals{(shared ? " (the same for every variant: one line)" : "")}; solid: 2xx answers; {t.PerSecond}." + repeated));
    }

    /// <summary>The same values at the same times, where an interval one of them lacks counting as zero (a variant whose record ended sooner).</summary>
    public static bool SameLine(Series a, Series b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static Dictionary<double, double> ByX(Series s) => s.Finite.GroupBy(p => Math.Round(p.X, 6)).ToDictionary(g => g.Key, g => g.First().Y);
        var (x, y) = (ByX(a), ByX(b));
        return x.Keys.Union(y.Keys).All(k => Math.Abs(x.GetValueOrDefault(k) - y.GetValueOrDefault(k)) <= 1e-9 * Math.Max(1, Math.Abs(x.GetValueOrDefault(k))));
    }

    private static ChartSpec Outcomes(VariantAggregate r, Timeline t, string repeated)
    {
        var rows = Representative(r).Intervals;
        List<(double, double)> Rate(Func<IntervalRow, long> f, bool gapsForZero = false) =>
            [.. rows.Select(i => (i.MidS, gapsForZero && f(i) == 0 ? double.NaN : i.PerS(f(i))))];
        var all = new[]
        {
            new Series("2xx", Rate(i => i.Ok), Palette.Ok),
            new Series("503", Rate(i => i.Rejected503), Palette.Rejected503),
            new Series("other errors", Rate(i => i.Errors), Palette.Errors),
            new Series("client timeouts", Rate(i => i.Timeouts, gapsForZero: true), Palette.Timeouts, LineStyle.Dashed) { Marker = MarkerKind.Cross, MarkAll = true, MarkerSize = 8 },
            new Series("dropped (client cap)", Rate(i => i.Dropped), Palette.Dropped, LineStyle.Dotted),
        };
        var shown = all.Where((s, i) => i == 0 || Shows(s)).ToList();
        var none = all.Except(shown).Select(s => s.Label).ToList();
        return t.Apply(new ChartSpec($"outcomes-{r.Name}", $"Outcomes per second — {r.Name}", Time, "responses/s", shown, t.Bands,
            Caption: $"by end time, {t.PerSecond}; dropped by intended time" + (shown.Any(s => s.Marker == MarkerKind.Cross) ? "; × marks every interval with client timeouts." : ".") + (none.Count > 0 ? $" None: {string.Join(", ", none)}." : "") + repeated));
    }

    private static ChartSpec Latency(IReadOnlyList<VariantAggregate> v, Timeline t, string repeated)
    {
        var series = new List<Series>();
        var references = new List<ReferenceLine>();
        foreach (var r in v)
        {
            series.Add(Line(r, $"{r.Name} p99", i => i.LatencyP99Ms));
            series.Add(Line(r, $"{r.Name} p50", i => i.LatencyP50Ms, LineStyle.Dashed));
        }

        // Timeouts have no latency: they are not in the lines (answered requests only), but each interval that had
        // some is marked at the timeout, so a stall that ends in timeouts does not look like a quiet spell.
        foreach (var r in v)
        {
            var timeoutMs = Representative(r).Summary.TimeoutS * 1000;
            var marks = Representative(r).Intervals.Where(i => i.Timeouts > 0).Select(i => (i.MidS, timeoutMs)).ToList();
            if (marks.Count == 0) continue;
            series.Add(new Series($"{r.Name} client timeouts", marks, Palette.Variant(r.Index)) { Kind = SeriesKind.Points, Marker = MarkerKind.Cross, MarkerSize = 9 });
            if (references.All(x => x.Y != timeoutMs)) references.Add(new ReferenceLine(timeoutMs, $"client timeout ({RunReport.Format(timeoutMs / 1000)} s)", Palette.Timeouts));
        }

        return Factored(t.Apply(new ChartSpec("latency", "Latency of answered requests, from the intended send time", Time, "ms (log scale)", series, t.Bands, LogY: true,
            References: references,
            Caption: $"solid: p99; dashed: p50, of the requests answered in each {RunReport.Format(t.IntervalS)} s interval"
                + (references.Count > 0 ? "; × an interval with client timeouts, drawn at the timeout (their latency is unknown, at least that)." : "; no client timeouts.") + repeated)),
            v, [("p99", LineStyle.Solid), ("p50", LineStyle.Dashed)],
            references.Count > 0 ? [new LegendEntry("client timeouts (at the timeout)", Palette.Key, Marker: MarkerKind.Cross)] : null);
    }

    private static ChartSpec Queues(IReadOnlyList<VariantAggregate> v, Timeline t, string notes)
    {
        // Outstanding at the client next to in flight in the server: a sync server holding 13 requests while 600 wait
        // at the client is starving, not idle. Limiter queues only where a limiter queued anything.
        var series = v.SelectMany(r => new[]
        {
            Line(r, $"{r.Name} outstanding at the client", i => i.Outstanding),
            Line(r, $"{r.Name} pool queue", i => i.PoolQueue, LineStyle.Dashed),
            Line(r, $"{r.Name} in flight in the server", i => i.ActiveRequests, LineStyle.Dotted),
            Line(r, $"{r.Name} limiter queue", i => i.LimiterQueue, LineStyle.DashDot),
        }).Where(s => Shows(s) || !s.Label.EndsWith("limiter queue", StringComparison.Ordinal)).ToList();
        var metrics = new List<(string, LineStyle)> { ("outstanding at the client", LineStyle.Solid), ("pool queue", LineStyle.Dashed), ("in flight in the server", LineStyle.Dotted) };
        if (series.Any(s => s.Style == LineStyle.DashDot)) metrics.Add(("limiter queue", LineStyle.DashDot));
        return Factored(t.Apply(new ChartSpec("queues", "Where requests wait: outstanding at the client, pool queue and in flight in the server", Time, "requests or work items",
            series, t.Bands,
            Caption: "solid: sent and not yet answered (includes requests the server has not accepted yet); dashed: thread-pool work items queued; dotted: requests in the server's pipeline; dash-dot: limiter queue (when one queued)." + notes)),
            v, metrics);
    }
}
