using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>
/// One real backend and one default server, each its own OS process on loopback, shared by the
/// process tests. Tests that need other knobs start their own server against the same backend.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    private MachineLock? _lock;

    public RunningLabServer Backend { get; private set; } = null!;
    public RunningLabServer Server { get; private set; } = null!;

    /// <summary>An HTTP client with no connection cap of its own and a generous timeout.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(90),
    };

    public async Task InitializeAsync()
    {
        _lock = await MachineLock.AcquireAsync(TimeSpan.FromMinutes(10));
        Backend = await RunningLabServer.StartAsync("backend");
        Server = await StartServerAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Backend.DisposeAsync();
        _lock?.Dispose();
    }

    /// <summary>A fresh server process with the given knobs, pointed at the shared backend.</summary>
    public Task<RunningLabServer> StartServerAsync(params (string Key, string Value)[] knobs) =>
        RunningLabServer.StartAsync("server", [("BackendUrl", Backend.Url.ToString()), .. knobs]);

    public async Task<JsonElement> GetJsonAsync(Uri url)
    {
        using var response = await Http.GetAsync(url);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<JsonElement> CountersAsync(RunningLabServer process) => GetJsonAsync(new Uri(process.Url, "/lab/counters"));

    /// <summary>
    /// A server whose limiter has one permit and no queue, with that permit held by a request to a backend call of
    /// a minute (released when <c>Permit</c> is disposed): the next request to a limited path gets 503.
    /// </summary>
    public async Task<(RunningLabServer Server, HeldRequest Permit)> StartFullyLimitedServerAsync()
    {
        var server = await StartServerAsync(("ConcurrencyLimit", "1"), ("QueueLimit", "0"));
        var permit = new HeldRequest(Http, new Uri(server.Url, "/async?delayMs=60000"));
        Assert.True(await Eventually.TrueAsync(async () => (await CountersAsync(server)).GetProperty("backendCallsActive").GetInt64() == 1, TimeSpan.FromSeconds(30)),
            "the first request never took the only permit");
        return (server, permit);
    }
}

[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab processes";
}
