using System.Globalization;
using Lab.Client.Analysis;
using Lab.Client.Load;

namespace Lab.Client.Reports;

/// <summary>
/// The chart people look at for coordinated omission: every request a point, its latency measured from its
/// intended send time (log scale) against that intended time, so a stall shows as a wall of points climbing
/// with the wait, not as a gap. Client timeouts are crosses at the timeout (their latency is unknown: at least
/// that), 503s triangles, other errors squares. One chart per variant, on one latency range, so they compare.
/// Read by streaming requests.csv; a big run is thinned deterministically (every Nth of a kind, in file order,
/// N from the run's own counts) to a fixed number of points per kind, and the caption says how.
/// </summary>
public static class RequestScatter
{
    /// <summary>At most this many answered (2xx) requests per variant: plenty for a 620-pixel-wide plot, about 150 KB of SVG.</summary>
    public const int AnsweredCap = 2000;

    /// <summary>At most this many timeouts, 503s and other errors each, per variant.</summary>
    public const int FailureCap = 600;

    private enum Kind
    {
        Ok,
        Rejected,
        Error,
        Timeout,
    }

    /// <summary>The points of one kind kept for one variant, and how they were chosen.</summary>
    public sealed record Kept(string Label, string Singular, long Total, long Stride, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>One variant's requests, thinned: per kind (2xx, 503, other errors, timeouts), and what was not drawn.</summary>
    public sealed record Requests(Kept Ok, Kept Rejected, Kept Errors, Kept Timeouts, long Dropped, long Aborted, double TimeoutMs)
    {
        public IEnumerable<Kept> All => [Ok, Errors, Rejected, Timeouts];
    }

    public static IReadOnlyList<ChartSpec> For(RunReport report, ChartSet.Timeline timeline, int answeredCap = AnsweredCap, int failureCap = FailureCap)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(timeline);
        var read = report.Variants.Select(v => (v, Requests: Read(report.Run.Folder, ChartSet.Representative(v), answeredCap, failureCap))).ToList();
        var ys = read.SelectMany(x => x.Requests.All.SelectMany(k => k.Points)).Select(p => p.Y).Where(y => y > 0).ToList();
        (double, double)? range = ys.Count == 0 ? null : (ys.Min(), ys.Max());
        return [.. read.Select(x => Chart(x.v, x.Requests, timeline, range))];
    }

    /// <summary>Streams one variant run's requests, keeping every Nth of each kind up to its cap (N from the run's counts).</summary>
    public static Requests Read(string folder, RunAnalysis run, int answeredCap = AnsweredCap, int failureCap = FailureCap)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.Summary;
        var timeoutMs = s.TimeoutS * 1000;
        var totals = new Dictionary<Kind, long>
        {
            [Kind.Ok] = (long)Count(s["count.ok"]),
            [Kind.Rejected] = (long)Count(s["count.503"]),
            [Kind.Error] = (long)Count(s["count.error"]),
            [Kind.Timeout] = (long)Count(s["count.timeout"]),
        };
        var caps = totals.Keys.ToDictionary(k => k, k => k == Kind.Ok ? answeredCap : failureCap);
        var strides = totals.ToDictionary(t => t.Key, t => Math.Max(1, (t.Value + caps[t.Key] - 1) / caps[t.Key]));
        var seen = totals.Keys.ToDictionary(k => k, _ => 0L);
        var kept = totals.Keys.ToDictionary(k => k, _ => new List<(double, double)>());
        long dropped = 0, aborted = 0;
        foreach (var r in RequestLog.Read(folder, run.Data.Name, run.Data.Repetition))
        {
            Kind kind;
            switch (r.Outcome)
            {
                case Outcome.Dropped: dropped++; continue;
                case Outcome.Aborted: aborted++; continue;
                case Outcome.Ok: kind = Kind.Ok; break;
                case Outcome.Status503: kind = Kind.Rejected; break;
                case Outcome.Timeout: kind = Kind.Timeout; break;
                default: kind = Kind.Error; break;
            }

            if (r.LatencyMs is not { } latency) continue;
            var n = seen[kind]++;
            var list = kept[kind];

            // The cap holds even if the counts were off (a run cut short): memory stays bounded whatever the file.
            if (n % strides[kind] != 0 || list.Count >= caps[kind]) continue;
            list.Add((r.IntendedMs / 1000, kind == Kind.Timeout ? timeoutMs : latency));
        }

        Kept K(Kind k, string label, string singular) => new(label, singular, Math.Max(totals[k], seen[k]), strides[k], kept[k]);
        return new Requests(K(Kind.Ok, "2xx", "2xx"), K(Kind.Rejected, "503", "503"), K(Kind.Error, "other errors", "error other than a 503"),
            K(Kind.Timeout, "client timeouts", "client timeout"), dropped, aborted, timeoutMs);
    }

    private static double Count(double v) => double.IsFinite(v) && v > 0 ? v : 0;

    private static ChartSpec Chart(VariantAggregate v, Requests q, ChartSet.Timeline t, (double, double)? range)
    {
        var timeoutS = RunReport.Format(q.TimeoutMs / 1000);
        var series = new List<Series>
        {
            Points(q.Ok, Palette.Variant(v.Index), MarkerKind.Circle, 5),
            Points(q.Errors, Palette.Errors, MarkerKind.Square, 6),
            Points(q.Rejected, Palette.Rejected503, MarkerKind.Triangle, 7),
            Points(q.Timeouts with { Label = $"client timeouts (drawn at {timeoutS} s)" }, Palette.Timeouts, MarkerKind.Cross, 8),
        };
        var references = q.Timeouts.Total > 0 ? new[] { new ReferenceLine(q.TimeoutMs, $"client timeout ({timeoutS} s)", Palette.Timeouts) } : [];
        var shown = q.All.Where(k => k.Total > 0).Select(Shown).ToList();
        var notShown = new List<string>();
        if (q.Dropped > 0) notShown.Add($"{N(q.Dropped)} dropped at the client's cap (never sent)");
        if (q.Aborted > 0) notShown.Add($"{N(q.Aborted)} aborted when the run ended");
        var caption = "x: when each request was meant to be sent; y: its latency from then, so waiting to be sent counts. "
            + (shown.Count == 0 ? "No request ended." : "Shown: " + string.Join("; ", shown) + ".")
            + (notShown.Count == 0 ? "" : " Not shown: " + string.Join("; ", notShown) + ".");
        var rep = ChartSet.Representative(v).Summary.Repetition;
        return t.Apply(new ChartSpec($"requests-{v.Name}", $"Every request — {v.Name}: latency from its intended send time", "intended send time, since load start (s)",
            "ms (log scale)", [.. series.Where(s => s.Points.Count > 0)], t.Bands, LogY: true, References: references,
            Caption: caption + (v.Runs.Count > 1 ? $" Repetition {rep}." : ""))
        {
            YRange = range,
        });
    }

    private static Series Points(Kept k, string color, MarkerKind marker, double size) =>
        new(k.Stride > 1 ? $"{k.Label}, every {Ordinal(k.Stride)}" : k.Label, k.Points, color) { Kind = SeriesKind.Points, Marker = marker, MarkerSize = size };

    /// <summary>"every client timeout (312)" or "every 4th of 12000 2xx (3000 points)".</summary>
    private static string Shown(Kept k) => k.Stride == 1 && k.Points.Count == k.Total
        ? $"every {k.Singular} ({N(k.Total)})"
        : $"every {Ordinal(k.Stride)} of {N(k.Total)} {k.Label} ({N(k.Points.Count)} points)";

    private static string Ordinal(long n) => n switch
    {
        1 => "one",
        _ when n % 100 is 11 or 12 or 13 => $"{N(n)}th",
        _ when n % 10 == 1 => $"{N(n)}st",
        _ when n % 10 == 2 => $"{N(n)}nd",
        _ when n % 10 == 3 => $"{N(n)}rd",
        _ => $"{N(n)}th",
    };

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
