using Lab.Client.Recording.Diagnostics;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class SnapshotTriggerTests
{
    public static TheoryData<long[], int, long[]> Cases => new()
    {
        // A burst that peaks once: one snapshot, where the queue stopped growing.
        { [0, 5, 20, 80, 150, 150, 120, 40, 0], 3, [150] },
        // A queue that never reaches the minimum: none.
        { [0, 2, 4, 7, 7, 3], 3, [] },
        // Two plateaus, the second a clear new maximum; a dip that is not one is skipped.
        { [10, 30, 30, 28, 35, 33, 60, 90, 90], 3, [30, 90] },
        // The bound: at most two.
        { [10, 10, 20, 20, 40, 40, 80, 80], 2, [10, 20] },
        // Noise far below the running maximum is not the top of a stall.
        { [100, 100, 10, 9, 9], 3, [100] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshots_are_taken_at_the_top_of_a_stall_at_clear_new_maxima_and_a_bounded_number_of_times(long[] queues, int max, long[] expected)
    {
        var trigger = new SnapshotTrigger(max);
        var fired = queues.Where(trigger.Observe).ToArray();
        Assert.Equal(expected, fired);
    }

    [Fact]
    public void A_scenario_can_snapshot_a_stall_of_a_few_long_blocked_requests()
    {
        // C7's serial pages: a queue of three or four, never eight. The default waits for a flood; stackMinQueue lowers it.
        long[] queues = [0, 2, 4, 4, 3, 1];
        Assert.DoesNotContain(queues, new SnapshotTrigger(3).Observe);
        Assert.Equal([4L], queues.Where(new SnapshotTrigger(3, minQueue: 3).Observe));

        var scenario = ScenarioLoader.Parse("""
            name: few
            description: a few pages blocked
            claims: [C7]
            load: { model: open, phases: [ { inject: { ratePerS: 1, durationS: 1 } } ] }
            variants: [ { name: serial, endpoint: /sync } ]
            client: { stackMinQueue: 3 }
            """, "few.yaml", processorCount: 2);
        Assert.Equal(3, scenario.Client.StackMinQueue);
        Assert.Equal(SnapshotTrigger.DefaultMinQueue, new ClientOptions().StackMinQueue);
    }
}
