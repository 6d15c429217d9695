using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

/// <summary>The engine's per-second counts and lag histogram behind the live "lag p99" and client-metrics.csv.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class DispatchSecondsTests
{
    [Fact]
    public void A_second_counts_its_arrivals_sends_and_drops()
    {
        var seconds = new DispatchSeconds();
        for (var i = 0; i < 10; i++) seconds.Arrival(3, dropped: i >= 7);
        for (var i = 0; i < 7; i++) seconds.Sent(3, 100);

        var d = seconds.Read(3)!.Value;
        Assert.Equal((10, 7, 3), (d.Arrivals, d.Sent, d.Dropped));
    }

    [Fact]
    public void The_lag_p99_of_a_second_is_within_a_sixteenth_above_the_exact_value_and_the_maximum_is_exact()
    {
        var seconds = new DispatchSeconds();
        // 1,000 sends: lags 1..1000 µs, so the exact p99 (nearest rank) is 990 µs.
        for (var us = 1; us <= 1_000; us++) seconds.Sent(0, us);

        var d = seconds.Read(0)!.Value;
        Assert.InRange(d.LagP99Ms, 0.990, 0.990 * 17 / 16);
        Assert.Equal(1.0, d.LagMaxMs);
    }

    [Fact]
    public void Seconds_are_kept_apart_and_a_second_with_no_sends_has_no_lag()
    {
        var seconds = new DispatchSeconds();
        seconds.Sent(0, 50);
        seconds.Sent(1, 5_000);
        seconds.Arrival(2, dropped: true);

        Assert.Equal(0.05, seconds.Read(0)!.Value.LagMaxMs);
        Assert.Equal(5.0, seconds.Read(1)!.Value.LagMaxMs);
        Assert.True(double.IsNaN(seconds.Read(2)!.Value.LagP99Ms));
        Assert.Equal(DispatchSecond.None, seconds.Read(5));
    }

    [Fact]
    public void A_second_older_than_the_ring_is_gone_rather_than_mixed_with_a_newer_one()
    {
        var seconds = new DispatchSeconds();
        seconds.Sent(1, 10);
        seconds.Sent(1 + DispatchSeconds.KeptSeconds, 20);
        seconds.Sent(1, 30); // a send for the old second, after its slot was taken: dropped

        Assert.Null(seconds.Read(1));
        var newer = seconds.Read(1 + DispatchSeconds.KeptSeconds)!.Value;
        Assert.Equal((1, 0.02), (newer.Sent, newer.LagMaxMs));
    }

    [Fact]
    public void Sends_from_many_threads_are_all_counted()
    {
        var seconds = new DispatchSeconds();
        Parallel.For(0, 8, t =>
        {
            for (var i = 0; i < 10_000; i++) seconds.Sent(i % 3, t * 100 + i % 100);
        });

        Assert.Equal(80_000, Enumerable.Range(0, 3).Sum(s => seconds.Read(s)!.Value.Sent));
        Assert.Equal(0.799, seconds.Read(0)!.Value.LagMaxMs);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(15L)]
    [InlineData(16L)]
    [InlineData(17L)]
    [InlineData(999L)]
    [InlineData(123_456L)]
    [InlineData(int.MaxValue)]
    public void Every_value_falls_in_a_bucket_whose_top_is_at_most_a_sixteenth_above_it(long us)
    {
        var top = DispatchSeconds.HighestIn(DispatchSeconds.BucketOf(us));
        Assert.InRange(top, us, us + us / 16);
        Assert.InRange(DispatchSeconds.BucketOf(us), 0, DispatchSeconds.BucketCount - 1);
    }
}
