using System.Globalization;
using Lab.Client.Analysis;
using Lab.Client.Recording.Diagnostics;

namespace Lab.Client.Reports;

/// <summary>
/// Why the pool grew and where its threads waited: the threads the pool added in each interval, stacked by the
/// runtime's reason, under the thread lines; and the stack snapshot of each variant's worst stall as grouped bars,
/// one group per place (headline), one bar per variant.
/// </summary>
public static partial class ChartSet
{
    /// <summary>Places shown in the stacks chart; the threads elsewhere are one more bar, <see cref="Elsewhere"/>.</summary>
    public const int MaxPlaces = 8;

    /// <summary>The id of the "where the threads were" chart, which the claims page links.</summary>
    public const string StacksId = "stacks";

    public const string Elsewhere = "(elsewhere: every other place)";

    /// <summary>A place's label is cut to what fits across the data area.</summary>
    public const int MaxPlaceChars = 100;

    /// <summary>
    /// The bars of threads added, per second (or per interval when intervals are longer), one series per variant and
    /// reason, stacked in <see cref="PoolText.Order"/>, filled with the reason's colour and, with several variants,
    /// outlined in the variant's and side by side within the second. Per second, not per 0.1 s interval: a thread or two
    /// per interval would be a sliver under a line of dozens of threads. Empty when no variant has pool events.
    /// </summary>
    public static IReadOnlyList<Series> InjectionBars(IReadOnlyList<VariantAggregate> server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var withEvents = server.Where(v => Representative(v).Data.Events is not null).ToList();
        var bars = new List<Series>();
        for (var k = 0; k < withEvents.Count; k++)
        {
            var r = withEvents[k];
            var rows = Representative(r).Intervals;
            if (rows.Count == 0) continue;
            var binS = InjectionBinS(rows[0].WidthS);
            var bins = rows.GroupBy(i => (int)Math.Floor(i.StartS / binS + 1e-9))
                .Select(g => (MidS: (g.Key + 0.5) * binS, Added: g.SelectMany(i => i.Injections)
                    .GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.Sum(p => p.Value), StringComparer.Ordinal)))
                .ToList();
            var slot = binS * 0.8 / withEvents.Count;
            var offset = -binS * 0.4 + slot * (k + 0.5);
            var reasons = PoolText.Order(bins.SelectMany(b => b.Added).Where(p => p.Value > 0).Select(p => p.Key));
            var below = new double[bins.Count];
            foreach (var reason in reasons)
            {
                var bases = below.ToArray();
                var points = bins.Select((b, n) =>
                {
                    var added = b.Added.GetValueOrDefault(reason);
                    below[n] += added;
                    return (b.MidS + offset, added > 0 ? below[n] : double.NaN);
                }).ToList();
                bars.Add(new Series($"{r.Name} threads added: {PoolText.Label(reason)}", points, Palette.Reason(reason))
                {
                    Kind = SeriesKind.Bars,
                    BarWidth = slot * 0.9,
                    Bases = bases,
                    Outline = withEvents.Count > 1 ? Palette.Variant(r.Index) : null,
                });
            }
        }

        return bars;
    }

    /// <summary>The injection bars' width: one second, a whole number of the run's intervals (an interval when it is longer).</summary>
    public static double InjectionBinS(double intervalS) => intervalS >= 1 ? intervalS : intervalS * Math.Max(1, Math.Round(1 / intervalS));

    /// <summary>The legend's entries for the reasons the bars show, in stacking order (squares of the reason's colour).</summary>
    public static IReadOnlyList<LegendEntry> ReasonLegend(IReadOnlyList<Series> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var reasons = bars.Select(b => (Label: b.Label[(b.Label.IndexOf(": ", StringComparison.Ordinal) + 2)..], b.Color)).Distinct().ToList();
        return [.. reasons.Select(x => new LegendEntry($"added: {x.Label}", x.Color, Marker: MarkerKind.Square))];
    }

    /// <summary>The threads chart with the injection bars under its lines; the legend names the reasons by colour.</summary>
    private static ChartSpec Threads(List<VariantAggregate> server, Timeline t, string serverCaption, string repeated)
    {
        var bars = InjectionBars(server);
        var lines = server.SelectMany(r => new[]
        {
            Line(r, $"{r.Name} pool", i => i.PoolThreads),
            Line(r, $"{r.Name} OS", i => i.OsThreads, LineStyle.Dashed),
        }).ToList();
        var withEvents = server.Where(v => Representative(v).Data.Events is not null).Select(v => v.Name).ToList();
        var barsCaption = bars.Count > 0
            ? $" Bars: threads the pool added {(InjectionBinS(t.IntervalS) == 1 ? "in each second" : $"in each {RunReport.Format(InjectionBinS(t.IntervalS))} s")}, stacked by the runtime's reason{(withEvents.Count > 1 ? $" (outlined in the variant's colour, side by side: {string.Join(", ", withEvents)})" : "")}."
            : withEvents.Count > 0 ? " The pool added no thread above its minimum." : "";
        var spec = t.Apply(new ChartSpec("threads", "Thread-pool threads and OS threads (server)", Time, "threads",
            [.. bars, .. lines], t.Bands,
            References: MinThreads(server),
            Caption: "dashed: OS threads of the process; dotted: configured minimum of pool threads." + barsCaption + serverCaption + repeated));
        if (bars.Count == 0) return Factored(spec, server, [("pool threads", LineStyle.Solid), ("OS threads", LineStyle.Dashed)]);

        // Bars of every variant and reason would make a legend entry each: the reasons are named once, by colour.
        var reasons = ReasonLegend(bars);
        var factored = Factored(spec with { Series = lines }, server, [("pool threads", LineStyle.Solid), ("OS threads", LineStyle.Dashed)], reasons);
        return spec with
        {
            Legend = factored.Legend ??
            [
                .. lines.Select(l => new LegendEntry(l.Label, l.Color, l.Style, Width: l.Width)),
                .. reasons,
                .. (spec.References ?? []).Select(r => new LegendEntry(r.Label, r.Color, LineStyle.Dotted, Width: 1.5)),
            ],
        };
    }

    /// <summary>
    /// "Where the threads were": for each variant with a stack snapshot, its threads per place (headline) at the worst
    /// moment of its stall, as grouped horizontal bars — the places most threads were at in any variant, largest first,
    /// and the rest as one bar. Null when no variant has a snapshot.
    /// </summary>
    public static ChartSpec? Stacks(IReadOnlyList<VariantAggregate> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var shots = variants.Select(v => (Variant: v, Snapshot: Representative(v).Data.Stacks)).Where(x => x.Snapshot is not null).ToList();
        if (shots.Count == 0) return null;
        var places = StackPlaces(shots.Select(x => x.Snapshot!).ToList());
        var slot = 0.5 / shots.Count;
        var series = shots.Select((x, k) =>
        {
            var counts = StackCounts(x.Snapshot!, places);
            return new Series($"{x.Variant.Name}: {x.Snapshot!.Threads} managed threads",
                [.. counts.Select((c, i) => ((double)c, -i - 0.45 + slot * (k + 0.5)))], Palette.Variant(x.Variant.Index))
            {
                Kind = SeriesKind.Bars,
                BarWidth = slot * 0.9,
            };
        }).ToList();
        var when = string.Join("; ", shots.Select(x => $"{x.Variant.Name} {PoolText.Moment(x.Snapshot!)}"));
        return new ChartSpec(StacksId, "Where the threads were at the worst moment of the stall (server stack snapshot)", "threads at the place", "",
            series, [], XAxis: XAxisKind.Linear,
            Caption: $"Each place is the innermost frame ← what it waits for ← the framework call ← the application's frame. {when}.")
        {
            Categories = [.. places.Select(p => p.Length <= MaxPlaceChars ? p : p[..(MaxPlaceChars - 1)] + "…")],
        };
    }

    /// <summary>The places of the stacks chart: the <see cref="MaxPlaces"/> headlines with the most threads in any snapshot, and <see cref="Elsewhere"/> when any thread was elsewhere.</summary>
    public static IReadOnlyList<string> StackPlaces(IReadOnlyList<StackSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var top = snapshots.SelectMany(s => s.Headlines)
            .GroupBy(h => h.Headline, StringComparer.Ordinal)
            .Select(g => (Headline: g.Key, Max: g.Max(h => h.Count)))
            .OrderByDescending(g => g.Max).ThenBy(g => g.Headline, StringComparer.Ordinal)
            .Take(MaxPlaces).Select(g => g.Headline).ToList();
        return snapshots.Any(s => s.Headlines.Any(h => !top.Contains(h.Headline))) ? [.. top, Elsewhere] : top;
    }

    /// <summary>A snapshot's threads at each of <paramref name="places"/> (<see cref="Elsewhere"/>: every place not listed).</summary>
    public static IReadOnlyList<int> StackCounts(StackSnapshot snapshot, IReadOnlyList<string> places)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(places);
        return [.. places.Select(p => p == Elsewhere
            ? snapshot.Headlines.Where(h => !places.Contains(h.Headline)).Sum(h => h.Count)
            : snapshot.Headlines.Where(h => h.Headline == p).Sum(h => h.Count))];
    }
}

/// <summary>The words for the pool's events and stack snapshots, shared by the charts, the summary rows and the tables.</summary>
public static class PoolText
{
    /// <summary>"cooperative blocking", "starvation", "hill climbing (climbing move)"…</summary>
    public static string Label(string reason) => reason switch
    {
        "cooperativeBlocking" => "cooperative blocking",
        "starvation" => "starvation",
        "threadTimedOut" => "thread timed out",
        "warmup" => "hill climbing (warm-up)",
        "initializing" => "hill climbing (initializing)",
        "randomMove" => "hill climbing (random move)",
        "climbingMove" => "hill climbing (climbing move)",
        "changePoint" => "hill climbing (change point)",
        "stabilizing" => "hill climbing (stabilizing)",
        _ => reason,
    };

    /// <summary>Stacking and listing order: the reasons of <c>PoolEventKinds.Reasons</c> from the last (cooperative blocking, starvation) to the first, then unknown ones by name.</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var known = Lab.Contracts.PoolEventKinds.Reasons;
        return [.. reasons.Distinct(StringComparer.Ordinal)
            .OrderBy(r => known.Contains(r) ? known.Count - 1 - known.ToList().IndexOf(r) : known.Count)
            .ThenBy(r => r, StringComparer.Ordinal)];
    }

    /// <summary>
    /// "61 threads added: 58 cooperative blocking, 3 starvation" from a variant's medians of <c>run.injections.*</c>;
    /// "no thread added above the minimum"; null when the pool's events were not recorded.
    /// </summary>
    public static string? Injections(VariantAggregate v)
    {
        ArgumentNullException.ThrowIfNull(v);
        // The chart shows the whole run, load and drain: so does its caption.
        var total = v.Median("run.injections.total");
        if (!double.IsFinite(total)) return null;
        if (total == 0) return "no thread added above the minimum";
        var parts = Order(Lab.Contracts.PoolEventKinds.Reasons)
            .Select(r => (Reason: r, Count: v.Median($"run.injections.{r}")))
            .Where(x => double.IsFinite(x.Count) && x.Count > 0)
            .OrderByDescending(x => x.Count)
            .Select(x => $"{RunReport.Format(x.Count)} {Label(x.Reason)}");
        return $"{RunReport.Format(total)} thread{(total == 1 ? "" : "s")} added: {string.Join(", ", parts)}";
    }

    /// <summary>"at 5.0 s, pool queue 229, 27 pool threads, paused 41 ms".</summary>
    public static string Moment(StackSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var at = s.TimeS is { } t ? string.Create(CultureInfo.InvariantCulture, $"at {t:0.0} s, ") : "";
        return $"{at}pool queue {s.QueueLength}, {s.PoolThreads} pool threads, paused {RunReport.Format(s.PauseMs)} ms";
    }
}
