using Lab.Client.Load;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

[Trait(Tier.Trait, Tier.InMemory)]
[Collection(RealProcessCollection.Name)]
public sealed class EngineSecondsAndWarmUpTests
{
    [Fact]
    public async Task The_engine_counts_every_second_as_it_happens_with_a_lag_for_seconds_whose_answers_are_still_out()
    {
        // Every answer takes 1.5 s: when a second ends, none of its requests has a record yet, yet its arrivals,
        // sends and dispatch lag are there (the live progress used to show "–" for such seconds).
        await using var server = await StubServer.StartAsync();
        var (engine, recorder, folder) = Create(server.Url, "/slow?ms=1500", new LoadProfile(LoadModel.Open, [new InjectPhase(50, 2)]));
        using (recorder)
        using (engine)
        {
            var run = engine.RunAsync(CancellationToken.None);
            await Eventually.TrueAsync(() => engine.ElapsedS >= 1.2, TimeSpan.FromSeconds(30));
            var first = engine.Seconds.Read(0)!.Value;
            Assert.Equal(0, recorder.StatsFor("v").Second(0).Completed);
            Assert.Equal((50, 50, 0), (first.Arrivals, first.Sent, first.Dropped));
            Assert.False(double.IsNaN(first.LagP99Ms));
            await run;
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_client_warm_up_sends_nothing_to_the_server_under_test_and_records_nothing()
    {
        await using var server = await StubServer.StartAsync();
        var (engine, recorder, folder) = Create(server.Url, "/ok", new LoadProfile(LoadModel.Closed, [new KeepConcurrentPhase(2, 0.2)]));
        using (recorder)
        using (engine)
        {
            await engine.WarmUpClientAsync(300, CancellationToken.None);
            recorder.Flush();
            Assert.Equal(0, engine.Sent);
            Assert.Equal(0, recorder.Written);
            Assert.Equal(0, server.Requests);
            Assert.Empty(File.ReadAllLines(Path.Combine(folder, Analysis.RequestLog.InFlightFileName)).Skip(1)); // no send journaled

            await engine.RunAsync(CancellationToken.None);
            recorder.Flush();
            Assert.True(server.Requests > 0);
            Assert.Equal(server.Requests, recorder.Written);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static (LoadEngine Engine, RequestRecorder Recorder, string Folder) Create(Uri server, string endpoint, LoadProfile load)
    {
        var folder = Directory.CreateTempSubdirectory("lab-engine-").FullName;
        var recorder = new RequestRecorder(Path.Combine(folder, "requests.csv"));
        var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var variant = new Variant
        {
            Name = "v", Endpoints = [new EndpointShare(endpoint, 1)], ServerKnobs = new Dictionary<string, string>(),
            Environment = new Dictionary<string, string>(), Load = load,
        };
        return (new LoadEngine(http, server, variant, new ClientOptions { DrainS = 10 }, recorder), recorder, folder);
    }
}
