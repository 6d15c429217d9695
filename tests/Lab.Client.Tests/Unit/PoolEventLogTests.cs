using System.Text.Json;
using Lab.Client.Analysis;
using Lab.Contracts;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class PoolEventLogTests
{
    private const long T0 = 1_000_000;

    private static PoolEvent E(long seq, double atS, string kind, string? reason = null, int? goal = null, int? active = null, long thread = 1, int? min = null) =>
        new() { Seq = seq, UnixMs = T0 + atS * 1000, MonoMs = atS * 1000, Kind = kind, Reason = reason, ThreadsGoal = goal, ActiveWorkers = active, OsThreadId = thread, MinThreads = min };

    [Fact]
    public void Injections_are_worker_starts_above_the_minimum_attributed_to_the_last_rise_of_the_goal()
    {
        var log = new PoolEventLog(
        [
            E(1, -1, PoolEventKinds.Start, min: 2),
            E(2, 0.05, PoolEventKinds.WorkerStart, active: 1),               // up to the minimum: not an injection
            E(3, 0.10, PoolEventKinds.Adjustment, "cooperativeBlocking", goal: 3),
            E(4, 0.11, PoolEventKinds.WorkerStart, active: 3),
            E(5, 0.50, PoolEventKinds.Adjustment, "cooperativeBlocking", goal: 2), // a blocked thread returned
            E(6, 0.60, PoolEventKinds.Adjustment, "cooperativeBlocking", goal: 3), // and another blocked: the idle one is released, no new thread
            E(8, 1.00, PoolEventKinds.WorkerStart, active: 4),               // raised after the starvation adjustment below (written out of order)
            E(7, 0.99, PoolEventKinds.Adjustment, "starvation", goal: 4),
        ], Truncated: false);

        var injections = log.Injections(T0);
        Assert.Equal([("cooperativeBlocking", 0.11), ("starvation", 1.0)], injections.Select(i => (i.Reason, Math.Round(i.TimeS, 2))));
        Assert.All(injections, i => Assert.Equal(1, i.Added));

        // The goal rose three times (2 → 3, 2 → 3, 3 → 4), but only two threads were added.
        Assert.Equal([1, 1, 1], log.GoalRises(T0).Select(r => r.Added));
    }

    [Fact]
    public void A_raised_minimum_is_the_new_baseline()
    {
        var log = new PoolEventLog(
        [
            E(1, -1, PoolEventKinds.Start, min: 2),
            E(2, -0.5, PoolEventKinds.MinMax, min: 100),
            E(3, 0.1, PoolEventKinds.WorkerStart, active: 50),
            E(4, 0.2, PoolEventKinds.Adjustment, "climbingMove", goal: 101),
            E(5, 0.3, PoolEventKinds.WorkerStart, active: 101),
        ], Truncated: false);

        Assert.Equal(["climbingMove"], log.Injections(T0).Select(i => i.Reason));
    }

    [Fact]
    public void Blocked_workers_follow_their_wait_starts_and_stops()
    {
        var log = new PoolEventLog(
        [
            E(1, 0.1, PoolEventKinds.WaitStart, thread: 10),
            E(2, 0.2, PoolEventKinds.WaitStart, thread: 11),
            E(3, 0.3, PoolEventKinds.WaitStop, thread: 10),
            E(4, 0.4, PoolEventKinds.WorkerStop, thread: 11),
            E(5, 0.5, PoolEventKinds.WaitStop, thread: 99), // a wait it never saw start
        ], Truncated: false);

        Assert.Equal([1, 2, 1, 0], log.BlockedWorkers(T0).Select(b => b.Blocked));
    }

    [Fact]
    public void The_file_reads_back_with_the_record_it_was_written_with_and_a_torn_last_line_is_skipped()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lab-events-").FullName, "events-sync.jsonl");
        var written = new[]
        {
            new PoolEvent { Seq = 1, UnixMs = 1.5, MonoMs = 0.25, Kind = PoolEventKinds.Start, Format = PoolEventKinds.FormatVersion, MinThreads = 2, MaxThreads = 32767 },
            new PoolEvent { Seq = 2, UnixMs = 2.5, MonoMs = 1.25, Kind = PoolEventKinds.Adjustment, Reason = "starvation", ThreadsGoal = 3, Throughput = 0.5, OsThreadId = 42 },
            new PoolEvent { Seq = 3, UnixMs = 3.5, MonoMs = 2.25, Kind = PoolEventKinds.WaitStart, WaitSource = "monitorWait", OsThreadId = 43 },
        };
        File.WriteAllLines(path, [.. written.Select(e => JsonSerializer.Serialize(e, ContractsJson.Default.PoolEvent)), "{\"seq\":4,\"unixMs\":4"]);

        var log = PoolEventLog.Read(path)!;
        Assert.Equal(written, log.Events);
        Assert.Equal(PoolEventKinds.FormatVersion, log.Format);
        Assert.Null(PoolEventLog.Read(path + ".missing"));
        // Absent fields are not written: a worker start is a short line.
        Assert.DoesNotContain("reason", JsonSerializer.Serialize(written[2], ContractsJson.Default.PoolEvent), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reason_names_are_the_installed_runtimes_own_enum_in_camel_case()
    {
        // NativeRuntimeEventSource.ThreadAdjustmentReasonMap is what the Adjustment event's Reason field is a value of.
        var map = typeof(object).Assembly.GetType("System.Diagnostics.Tracing.NativeRuntimeEventSource+ThreadAdjustmentReasonMap");
        Assert.NotNull(map);
        var names = Enum.GetValues(map).Cast<object>().OrderBy(Convert.ToInt64).Select(v => Enum.GetName(map, v)!).ToList();
        Assert.Equal(names.Select(n => char.ToLowerInvariant(n[0]) + n[1..]), PoolEventKinds.Reasons);
        Assert.Equal("cooperativeBlocking", PoolEventKinds.Reason(8));
        Assert.Equal("reason12", PoolEventKinds.Reason(12));
    }
}
