using Lab.Client.Load;
using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>The every-request chart: each request a point from its intended send time, failures by their own marker, thinning said out loud.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class RequestScatterTests
{
    private static ChartSpec Chart(RunReport report, string variant) => ChartSet.For(report).Single(c => c.Id == $"requests-{variant}");

    [Fact]
    public void Every_request_is_a_point_at_its_intended_time_and_its_latency_from_then()
    {
        var slow = Chart(RunReport.Build(FixtureRun.Create()), "slow");
        var ok = Assert.Single(slow.Series);
        Assert.Equal((SeriesKind.Points, MarkerKind.Circle, "2xx"), (ok.Kind, ok.Marker, ok.Label));
        Assert.Equal(20, ok.Points.Count);
        Assert.Equal((0.3, 800), (ok.Points[3].X, Math.Round(ok.Points[3].Y, 3))); // intended 300 ms, answered 500 + 3 × 100 ms later
        Assert.True(slow.LogY);
        Assert.Contains("Shown: every 2xx (20).", slow.Caption, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejections_and_timeouts_have_their_own_markers_and_timeouts_sit_at_the_timeout()
    {
        var extra = new[]
        {
            new RequestRecord("slow", 1, 0, 200, "/sync?delayMs=500", 1000, 1000.5, 2000.5, 0, Outcome.Timeout, 0),
            new RequestRecord("slow", 1, 0, 201, "/sync?delayMs=500", 1100, 1100.5, 1112, 500, Outcome.Status5xx, 0),
        };
        var report = RunReport.Build(FixtureRun.Create(client: "{ drainS: 2, timeoutS: 1 }", extraRequests: extra));
        var fast = Chart(report, "fast");
        var rejected = fast.Series.Single(s => s.Label == "503");
        Assert.Equal((MarkerKind.Triangle, 1), (rejected.Marker, rejected.Points.Count));
        Assert.Contains("1 dropped at the client's cap (never sent)", fast.Caption, StringComparison.Ordinal);

        var slow = Chart(report, "slow");
        var timeouts = slow.Series.Single(s => s.Marker == MarkerKind.Cross);
        Assert.Equal("client timeouts (drawn at 1 s)", timeouts.Label);
        Assert.Equal([(1.0, 1000.0)], timeouts.Points);
        Assert.Equal((MarkerKind.Square, 12.0), (slow.Series.Single(s => s.Label == "other errors").Marker, Math.Round(slow.Series.Single(s => s.Label == "other errors").Points[0].Y)));
        Assert.Contains(slow.References!, r => r.Y == 1000);

        // One latency range for every variant, so the charts compare at a glance: the 5xx at 12 ms to slow's 2.4 s.
        Assert.Equal(slow.YRange, fast.YRange);
        Assert.Equal((12, 2400), (Math.Round(fast.YRange!.Value.Min), Math.Round(fast.YRange.Value.Max)));
    }

    [Fact]
    public void A_big_run_is_thinned_to_every_nth_point_deterministically_and_the_caption_says_so()
    {
        var report = RunReport.Build(FixtureRun.Create());
        var run = ChartSet.Representative(report.Variants.Single(v => v.Name == "slow"));
        var kept = RequestScatter.Read(report.Run.Folder, run, answeredCap: 5, failureCap: 5);
        Assert.Equal((20L, 4L, 5), (kept.Ok.Total, kept.Ok.Stride, kept.Ok.Points.Count));
        Assert.Equal([0.0, 0.4, 0.8, 1.2, 1.6], kept.Ok.Points.Select(p => Math.Round(p.X, 6)));
        Assert.Equal(kept.Ok.Points, RequestScatter.Read(report.Run.Folder, run, answeredCap: 5, failureCap: 5).Ok.Points);

        var timeline = ChartSet.Timeline.Of(report.Variants);
        var chart = RequestScatter.For(report, timeline, answeredCap: 5).Single(c => c.Id == "requests-slow");
        Assert.Contains("every 4th of 20 2xx (5 points)", chart.Caption, StringComparison.Ordinal);
        Assert.Equal("2xx, every 4th", Assert.Single(chart.Series).Label);
    }
}
