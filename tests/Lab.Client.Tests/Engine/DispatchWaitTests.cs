using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

/// <summary>The dispatcher's waiting rule, decision by decision, on a clock of microsecond ticks (no real time).</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class DispatchWaitTests
{
    private const long Frequency = 1_000_000; // one tick per µs
    private const long LongAgo = -1_000_000_000;

    [Theory]
    [InlineData(1_000, 1_000)] // due now
    [InlineData(1_000, 400)]   // due before now: the dispatcher is late
    public void An_arrival_that_is_due_or_late_goes_at_once(long now, long due)
    {
        Assert.Equal(new WaitStep(WaitKind.Go, now), DispatchWait.Next(now, due, LongAgo, Frequency));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(1_000)]
    [InlineData(15_000)]
    [InlineData(20_000)]
    public void Below_the_blocking_threshold_one_sleep_goes_to_the_due_time(long ahead)
    {
        Assert.Equal(new WaitStep(WaitKind.Sleep, 5_000 + ahead), DispatchWait.Next(5_000, 5_000 + ahead, LongAgo, Frequency));
    }

    [Fact]
    public void A_far_arrival_blocks_on_the_stop_signal_until_shortly_before_it()
    {
        Assert.Equal(new WaitStep(WaitKind.Block, 30_000 - DispatchWait.BlockMarginUs), DispatchWait.Next(0, 30_000, LongAgo, Frequency));
    }

    [Fact]
    public void An_arrival_due_within_the_window_of_the_last_wake_up_waits_for_the_window_to_end()
    {
        // Woke at 1,000; the next arrival is due at 1,125 (8,000/s): it goes with the others at the window's end.
        Assert.Equal(new WaitStep(WaitKind.Sleep, 1_000 + DispatchWait.BatchWindowUs), DispatchWait.Next(1_050, 1_125, 1_000, Frequency));
    }

    [Fact]
    public void An_arrival_due_after_the_window_sleeps_to_its_own_time()
    {
        Assert.Equal(new WaitStep(WaitKind.Sleep, 2_000), DispatchWait.Next(1_100, 2_000, 1_000, Frequency));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    [InlineData(2_000)]
    [InlineData(8_000)]
    [InlineData(16_000)]
    public void At_any_rate_there_is_at_most_one_wake_up_per_window_and_no_arrival_goes_early_or_more_than_a_window_late(int rate)
    {
        // A simulated second of evenly spaced arrivals with an ideal clock: sleeping sets the clock to the wake-up time.
        long now = 0, lastWake = LongAgo, maxLateUs = 0;
        var wakeUps = 0;
        for (var k = 0; k < rate; k++)
        {
            var due = k * Frequency / rate;
            while (true)
            {
                var step = DispatchWait.Next(now, due, lastWake, Frequency);
                if (step.Kind == WaitKind.Go) break;
                now = step.UntilTicks;
                if (step.Kind == WaitKind.Sleep) (lastWake, wakeUps) = (now, wakeUps + 1);
            }

            Assert.True(now >= due, $"arrival {k} sent at {now} µs, before its time {due} µs");
            maxLateUs = Math.Max(maxLateUs, now - due);
        }

        Assert.True(wakeUps <= Math.Min(rate, 1_000_000 / DispatchWait.BatchWindowUs) + 1, $"{wakeUps} wake-ups at {rate}/s");
        Assert.True(maxLateUs < DispatchWait.BatchWindowUs, $"an arrival went {maxLateUs} µs late at {rate}/s");
        if (1_000_000 / rate >= DispatchWait.BatchWindowUs) Assert.Equal(0, maxLateUs); // slow enough: every arrival on its time
    }
}
