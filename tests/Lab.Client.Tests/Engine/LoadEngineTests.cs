using Lab.Testing;
using Lab.Client.Load;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Engine;

[Trait(Tier.Trait, Tier.InMemory)]
[Collection(RealProcessCollection.Name)]
public sealed class LoadEngineTests
{
    [Fact]
    public async Task Latency_from_the_intended_time_shows_a_2_s_stall_that_latency_from_the_send_hides()
    {
        // 50/s for 5 s through one client connection; the server stalls from 1 s to 3 s. Requests wait for
        // the connection during the stall and are sent late: measured from their send they look fast.
        await using var server = await StubServer.StartAsync();
        var records = await EngineRun.RunAsync(server.Url, "/stall", new LoadProfile(LoadModel.Open, [new InjectPhase(50, 5)]),
            new ClientOptions { MaxConnections = 1, DrainS = 10 });

        Assert.Equal(250, records.Count);
        Assert.All(records, r => Assert.Equal(Outcome.Ok, r.Outcome));
        var fromIntended = EngineRun.P(records.Select(r => r.LatencyMs!.Value), 0.99);
        var fromSend = EngineRun.P(records.Select(r => r.ServiceMs!.Value), 0.99);
        Assert.True(fromIntended >= 1_500, $"p99 from the intended time was {fromIntended:0} ms; the stall lasted 2,000 ms");
        Assert.True(fromSend < 500, $"p99 from the send was {fromSend:0} ms; it should hide the stall");
        Assert.True(records.Max(r => r.LagMs!.Value) >= 1_500, "the requests queued behind the stall were sent late, and that shows as dispatch lag");
    }

    [Fact]
    public async Task An_open_model_keeps_its_schedule_while_the_server_is_slow()
    {
        await using var server = await StubServer.StartAsync();
        var records = await EngineRun.RunAsync(server.Url, "/slow?ms=1000", new LoadProfile(LoadModel.Open, [new InjectPhase(20, 2)]));

        Assert.Equal(40, records.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(k => k * 50.0), records.OrderBy(r => r.Seq).Select(r => r.IntendedMs));
        var lateness = records.Max(r => r.LagMs!.Value);
        Assert.True(lateness < 100, $"arrivals should not wait for answers; the latest was sent {lateness:0.0} ms late");
        Assert.All(records, r => Assert.InRange(r.ServiceMs!.Value, 990, 5_000));
    }

    [Fact]
    public async Task Arrivals_beyond_the_in_flight_cap_are_recorded_as_dropped()
    {
        await using var server = await StubServer.StartAsync();
        // 100 arrivals in 1 s, 5 allowed in flight, each answered after 1.5 s: nothing frees a slot in time.
        var records = await EngineRun.RunAsync(server.Url, "/slow?ms=1500", new LoadProfile(LoadModel.Open, [new InjectPhase(100, 1)]),
            new ClientOptions { InFlightCap = 5, DrainS = 10 });

        Assert.Equal(100, records.Count);
        Assert.Equal(5, records.Count(r => r.Outcome == Outcome.Ok));
        var dropped = records.Where(r => r.Outcome == Outcome.Dropped).ToArray();
        Assert.Equal(95, dropped.Length);
        Assert.All(dropped, r => Assert.Null(r.SendMs));
    }

    [Fact]
    public async Task A_closed_model_never_has_more_requests_in_flight_than_users()
    {
        await using var server = await StubServer.StartAsync();
        var records = await EngineRun.RunAsync(server.Url, "/slow?ms=100", new LoadProfile(LoadModel.Closed, [new KeepConcurrentPhase(4, 2)]));

        Assert.InRange(records.Count, 40, 84);
        var events = records.SelectMany(r => new[] { (T: r.SendMs!.Value, D: 1), (T: r.EndMs!.Value, D: -1) }).OrderBy(e => e.T).ThenBy(e => e.D);
        var inFlight = 0;
        var peak = 0;
        foreach (var e in events) peak = Math.Max(peak, inFlight += e.D);
        Assert.Equal(4, peak);
        Assert.All(records, r => Assert.True(r.LagMs < 5, "a closed-model request is intended when its user is ready"));
    }

    [Fact]
    public async Task Client_timeouts_and_refused_connections_are_told_apart()
    {
        await using var server = await StubServer.StartAsync();
        var slow = await EngineRun.RunAsync(server.Url, "/slow?ms=3000", new LoadProfile(LoadModel.Open, [new InjectPhase(5, 1)]),
            new ClientOptions { TimeoutS = 0.3, DrainS = 5 });
        Assert.All(slow, r => Assert.Equal(Outcome.Timeout, r.Outcome));
        Assert.All(slow, r => Assert.InRange(r.ServiceMs!.Value, 280, 2_000));

        var closed = new Uri(server.Url, "/");
        await server.DisposeAsync();
        var refused = await EngineRun.RunAsync(closed, "/ok", new LoadProfile(LoadModel.Open, [new InjectPhase(5, 1)]));
        Assert.All(refused, r => Assert.Equal(Outcome.ConnectionError, r.Outcome));
    }
}
