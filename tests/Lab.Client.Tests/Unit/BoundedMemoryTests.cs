using Lab.Client.Analysis;
using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>
/// Memory stays bounded whatever the profile: live statistics keep a minute of seconds and histograms, and the
/// report streams requests.csv instead of holding it. (A 100,000/s × 3,600 s profile once grew the client to
/// 2.4 GB because every lag and latency was kept in lists.)
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class BoundedMemoryTests
{
    [Fact]
    public void Live_statistics_of_an_hour_keep_only_the_last_minute_of_seconds()
    {
        var stats = new VariantStats();
        for (var second = 0; second < 3_600; second++)
        {
            for (var k = 0; k < 50; k++)
            {
                var intended = second * 1000.0 + k * 20;
                stats.Add(new RequestRecord("v", 1, 0, second * 50L + k, "/", intended, intended + 0.5, intended + 100, 200, Outcome.Ok, 10));
            }
        }

        Assert.Equal(180_000, stats.Scheduled);
        Assert.Equal(0.5, stats.LagPercentile(0.99), 2);
        Assert.Equal(50, stats.Second(3_599).Ok);
        Assert.Equal(0, stats.Second(100).Scheduled); // long gone: only the last minute is kept
    }

    [Fact]
    public void A_report_over_a_million_requests_streams_them_in_bounded_memory()
    {
        var folder = Reports.FixtureRun.Create();
        using (var csv = new StreamWriter(Path.Combine(folder, "requests.csv"), append: true))
        {
            // A million more answered requests of the fast variant, 1 ms apart.
            for (var k = 0; k < 1_000_000; k++)
            {
                var intended = 3000.0 + k;
                csv.WriteLine(new RequestRecord("fast", 1, 0, 100 + k, "/async?delayMs=50", intended, intended + 0.1, intended + 50 + k % 7, 200, Outcome.Ok, 10).ToCsv());
            }
        }

        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var stop = new ManualResetEventSlim();
        var watcher = new Thread(() =>
        {
            while (!stop.Wait(5)) peak = Math.Max(peak, GC.GetTotalMemory(false));
        });
        watcher.Start();
        var report = Lab.Client.Reports.RunReport.Build(folder);
        stop.Set();
        watcher.Join();

        var fast = report.Variants.Single(v => v.Name == "fast");
        Assert.Equal(1_000_019, fast.Median("count.ok"));
        Assert.Equal(56, fast.Median("latency.p99"));
        // Held as records, a million requests take hundreds of MB; streamed, the analysis needs a few tens.
        var grewMb = (peak - before) / 1024.0 / 1024;
        Assert.True(grewMb < 150, $"the managed heap grew by {grewMb:0} MB while a million requests were analysed");
    }
}
