using System.Text.Json;
using Lab.Contracts;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>Why the pool grew: the runtime's thread-pool events recorded by the server itself, off the pool's critical path.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class PoolEventTests(LabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task A_sync_over_async_burst_records_cooperative_blocking_injections()
    {
        var events = Path.Combine(Path.GetTempPath(), $"lab-events-{Guid.NewGuid():N}.jsonl");
        var samples = SampleFile.NewPath();
        await using (var server = await lab.StartServerAsync(("EventFile", events), ("PoolEvents", "waits"), ("SampleFile", samples)))
        {
            // Twenty requests blocked in GetResult at once on a pool whose minimum is the processor count: the pool
            // must add threads, and it says it does so for the blocked waits.
            var burst = Enumerable.Range(0, 20).Select(_ => lab.Http.GetAsync(new Uri(server.Url, "/sync-over-async?delayMs=1000&items=1"))).ToArray();
            var responses = await Task.WhenAll(burst);
            Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
            Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));
        }

        var records = File.ReadAllLines(events).Select(l => JsonSerializer.Deserialize(l, ContractsJson.Default.PoolEvent)!).ToList();
        output.WriteLine(string.Join(", ", records.GroupBy(r => (r.Kind, r.Reason)).Select(g => $"{g.Key.Kind}/{g.Key.Reason}×{g.Count()}")));

        var start = records[0];
        Assert.Equal(PoolEventKinds.Start, start.Kind);
        Assert.Equal(PoolEventKinds.FormatVersion, start.Format);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));

        var blocking = records.Where(r => r is { Kind: PoolEventKinds.Adjustment, Reason: "cooperativeBlocking" }).ToList();
        Assert.NotEmpty(blocking);
        Assert.Contains(records, r => r.Kind == PoolEventKinds.WorkerStart && r.ActiveWorkers > start.MinThreads);
        Assert.Contains(records, r => r is { Kind: PoolEventKinds.WaitStart, WaitSource: "monitorWait" });

        // Delivered on the runtime's EventPipe dispatch thread, never on a pool thread, and nothing dropped.
        var stop = records[^1];
        Assert.Equal(PoolEventKinds.Stop, stop.Kind);
        Assert.Equal(0, stop.CallbacksOnPool);
        Assert.Equal(0, stop.Count);
        Assert.False(string.IsNullOrEmpty(stop.DispatchThread));
        output.WriteLine($"dispatch thread: {stop.DispatchThread}");

        // On the sampler's clocks: the injections fall inside the span the samples cover, on both clocks.
        var sampled = SampleFile.Read(samples);
        Assert.InRange(blocking[0].MonoMs, sampled[0].MonoMs, sampled[^1].MonoMs);
        Assert.InRange(blocking[0].UnixMs, sampled[0].UnixMs, sampled[^1].UnixMs);
    }
}
