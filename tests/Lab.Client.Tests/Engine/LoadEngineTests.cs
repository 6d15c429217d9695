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
        // The stall lasts 2 s by construction, so measured from the intended time the p99 cannot be shorter than most
        // of it; measured from the send it is a fraction of that (a ratio, not an absolute: the machine may be loaded).
        Assert.True(fromIntended >= 1_500, $"p99 from the intended time was {fromIntended:0} ms; the stall lasted 2,000 ms");
        Assert.True(fromSend < fromIntended / 3, $"p99 from the send was {fromSend:0} ms against {fromIntended:0} ms from the intended time; it should hide the stall");
        Assert.True(records.Max(r => r.LagMs!.Value) >= 1_500, "the requests queued behind the stall were sent late, and that shows as dispatch lag");
    }

    [Fact]
    public async Task An_open_model_keeps_its_schedule_while_the_server_is_slow()
    {
        await using var server = await StubServer.StartAsync();
        var records = await EngineRun.RunAsync(server.Url, "/slow?ms=1000", new LoadProfile(LoadModel.Open, [new InjectPhase(20, 2)]));

        Assert.Equal(40, records.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(k => k * 50.0), records.OrderBy(r => r.Seq).Select(r => r.IntendedMs));
        // Arrivals do not wait for answers: every arrival due before the first answer came back was sent before it
        // (a closed loop would have sent one), and even the latest send is earlier than one answer takes. Both are
        // ratios within this run, so a loaded machine that delays everything alike does not fail them.
        var firstAnswer = records.Min(r => r.EndMs!.Value);
        var due = records.Count(r => r.IntendedMs < firstAnswer - 100);
        var sent = records.Count(r => r.IntendedMs < firstAnswer - 100 && r.SendMs!.Value < firstAnswer);
        Assert.True(due >= 10 && sent == due, $"{sent} of the {due} arrivals due before the first answer ({firstAnswer:0} ms) were sent before it");
        var lateness = records.Max(r => r.LagMs!.Value);
        Assert.True(lateness < 0.5 * records.Min(r => r.ServiceMs!.Value), $"arrivals should not wait for answers; the latest was sent {lateness:0.0} ms late");
        Assert.All(records, r => Assert.InRange(r.ServiceMs!.Value, 990, 30_000));
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

        // 4 users for 2 s, each sending again when answered: about 4 × 2,000 ms ÷ the mean time a request took (from its
        // intended send to its answer), which is 100 ms on a quiet machine and was 600 ms under stress-ng --cpu 2 (12
        // requests: an absolute floor of 16 failed there). A ratio within the run, with room for the ends of the window.
        var cycleMs = records.Average(r => r.EndMs!.Value - r.IntendedMs);
        var expected = 4 * 2_000 / cycleMs;
        Assert.True(records.Count >= 4 && records.Count >= 0.5 * expected - 4 && records.Count <= 1.5 * expected + 4,
            $"{records.Count} requests from 4 users in 2 s at {cycleMs:0} ms each: expected about {expected:0}");
        var events = records.SelectMany(r => new[] { (T: r.SendMs!.Value, D: 1), (T: r.EndMs!.Value, D: -1) }).OrderBy(e => e.T).ThenBy(e => e.D);
        var inFlight = 0;
        var peak = 0;
        foreach (var e in events) peak = Math.Max(peak, inFlight += e.D);
        Assert.Equal(4, peak);
        // A closed-model request is intended when its user is ready: its lag is the client's own overhead, a small
        // fraction of the 100 ms it then waits for the answer (a ratio within this run, not an absolute).
        var lag = EngineRun.P(records.Select(r => r.LagMs!.Value), 0.5);
        var service = EngineRun.P(records.Select(r => r.ServiceMs!.Value), 0.5);
        Assert.True(lag < 0.1 * service, $"median lag {lag:0.###} ms against a median service time of {service:0.#} ms");
    }

    [Fact]
    public async Task Client_timeouts_and_refused_connections_are_told_apart()
    {
        await using var server = await StubServer.StartAsync();
        var slow = await EngineRun.RunAsync(server.Url, "/slow?ms=3000", new LoadProfile(LoadModel.Open, [new InjectPhase(5, 1)]),
            new ClientOptions { TimeoutS = 0.3, DrainS = 5 });
        Assert.All(slow, r => Assert.Equal(Outcome.Timeout, r.Outcome));
        Assert.All(slow, r => Assert.InRange(r.ServiceMs!.Value, 280, 10_000));

        var closed = new Uri(server.Url, "/");
        await server.DisposeAsync();
        var refused = await EngineRun.RunAsync(closed, "/ok", new LoadProfile(LoadModel.Open, [new InjectPhase(5, 1)]));
        Assert.All(refused, r => Assert.Equal(Outcome.ConnectionError, r.Outcome));
    }

    [Fact]
    public async Task A_request_that_waits_out_the_timeout_is_a_timeout_even_while_it_is_still_connecting()
    {
        // A listener that never accepts: connecting waits in the kernel's backlog. The only bound is the request's
        // own timeout, so the outcome is timeout — the same symptom, the same outcome, whatever the phase it hit.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        // Fill the backlog so further connects wait.
        var fillers = Enumerable.Range(0, 8).Select(_ => new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)).ToList();
        foreach (var f in fillers) _ = f.ConnectAsync(listener.LocalEndPoint!);
        var url = new Uri($"http://{listener.LocalEndPoint}/");
        var records = await EngineRun.RunAsync(url, "/x", new LoadProfile(LoadModel.Open, [new InjectPhase(10, 0.5)]), new ClientOptions { TimeoutS = 0.5, DrainS = 5 });
        foreach (var f in fillers) f.Dispose();
        Assert.All(records, r => Assert.Equal(Outcome.Timeout, r.Outcome));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(30)]
    [InlineData(3_600)]
    public void The_runs_handler_has_no_connect_timeout_of_its_own_to_race_the_request_timeout(double timeoutS)
    {
        // A connect timeout equal to the request timeout turned some requests that waited exactly the timeout into
        // connection_error and the rest into timeout: one symptom, two outcomes. Only the request's timeout applies.
        using var handler = LoadHttpClient.CreateHandler(new ClientOptions { TimeoutS = timeoutS });
        Assert.True(handler.ConnectTimeout == Timeout.InfiniteTimeSpan || handler.ConnectTimeout > TimeSpan.FromSeconds(timeoutS),
            $"ConnectTimeout {handler.ConnectTimeout} would end a connect before the request timeout of {timeoutS} s");
        using var http = LoadHttpClient.Create(new ClientOptions { TimeoutS = timeoutS });
        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task A_connect_the_server_accepts_late_but_within_the_timeout_is_answered_not_failed()
    {
        // The server's accept queue is full (a starved server accepts late): the run's client keeps connecting for as
        // long as the request's own timeout allows, and the answer counts as ok. SYN retries come at 1 s, 3 s, 7 s,
        // so a timeout of 15 s leaves room for the retry after the accepts start.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(1);
        var fillers = Enumerable.Range(0, 8).Select(_ => new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)).ToList();
        foreach (var f in fillers) _ = f.ConnectAsync(listener.LocalEndPoint!);
        using var stop = new CancellationTokenSource();
        var acceptDelay = TimeSpan.FromSeconds(1.5);
        var server = LateServer.AcceptAfterAsync(listener, acceptDelay, stop.Token);
        var url = new Uri($"http://{listener.LocalEndPoint}/");
        var records = await EngineRun.RunAsync(url, "/x", new LoadProfile(LoadModel.Open, [new InjectPhase(10, 0.5)]), new ClientOptions { TimeoutS = 15, DrainS = 20 });
        await stop.CancelAsync();
        foreach (var f in fillers) f.Dispose();
        listener.Dispose();
        await server;

        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(Outcome.Ok, r.Outcome));
        // They did wait in connect: nothing could be answered before the server began to accept.
        Assert.All(records, r => Assert.True(r.LatencyMs >= acceptDelay.TotalMilliseconds - 600, $"answered after {r.LatencyMs} ms"));
    }

    [Fact]
    public async Task Every_send_is_journaled_until_its_record_is_written_and_the_journal_goes_when_the_run_completes()
    {
        await using var server = await StubServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("lab-journal-").FullName;
        var csv = Path.Combine(folder, "requests.csv");
        using (var recorder = new RequestRecorder(csv))
        using (var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan })
        {
            var variant = new Variant
            {
                Name = "v", Endpoints = [new EndpointShare("/slow?ms=200", 1)], ServerKnobs = new Dictionary<string, string>(),
                Environment = new Dictionary<string, string>(), Load = new LoadProfile(LoadModel.Open, [new InjectPhase(20, 1)]),
            };
            using var engine = new LoadEngine(http, server.Url, variant, new ClientOptions { DrainS = 10 }, recorder, repetition: 2);
            await engine.RunAsync(CancellationToken.None);
            recorder.Flush();
            var journal = File.ReadAllLines(Path.Combine(folder, Lab.Client.Analysis.RequestLog.InFlightFileName));
            Assert.Equal(21, journal.Length); // the header and every send
            Assert.All(journal.Skip(1), l => Assert.StartsWith("v,2,", l, StringComparison.Ordinal));
            recorder.Complete();
        }

        Assert.False(File.Exists(Path.Combine(folder, Lab.Client.Analysis.RequestLog.InFlightFileName)));
        Assert.Equal(20, Lab.Client.Analysis.RequestLog.Read(folder).Count(r => r.Outcome == Outcome.Ok && r.Repetition == 2));
    }
}
