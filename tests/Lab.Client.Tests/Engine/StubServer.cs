using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lab.Client.Tests.Engine;

/// <summary>
/// A real Kestrel server on loopback in the test process: <c>/ok</c>, <c>/slow?ms=N</c>, and <c>/stall</c>,
/// which answers at once except inside a stall window (from 1 s to 3 s after its first request), where
/// every request is held until the window ends — a 2 s server stall.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _firstRequest;
    private long _requests;

    private StubServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Requests the stub has received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<StubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubServer(app);
        app.Use(async (ctx, next) =>
        {
            Interlocked.Increment(ref stub._requests);
            await next(ctx);
        });
        app.MapGet("/ok", () => "ok");
        app.MapGet("/slow", async (int ms, CancellationToken ct) =>
        {
            await Task.Delay(ms, ct);
            return "slow";
        });
        app.MapGet("/stall", async (CancellationToken ct) =>
        {
            Interlocked.CompareExchange(ref stub._firstRequest, Stopwatch.GetTimestamp(), 0);
            var since = Stopwatch.GetElapsedTime(stub._firstRequest);
            if (since > TimeSpan.FromSeconds(1) && since < TimeSpan.FromSeconds(3))
            {
                await Task.Delay(TimeSpan.FromSeconds(3) - since, ct);
            }

            return "stall";
        });
        await app.StartAsync();
        stub.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
