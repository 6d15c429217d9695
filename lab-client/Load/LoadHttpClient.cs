using System.Net;
using Lab.Client.Scenarios;

namespace Lab.Client.Load;

/// <summary>
/// The HttpClient a run sends its load through: one per run, shared by its variants. A factory of its own so the
/// engine's tests send through the very handler a run uses.
/// </summary>
public static class LoadHttpClient
{
    /// <summary>The run's handler: no proxy, cookies, redirects or decompression; no bound but the request's own timeout.</summary>
    public static SocketsHttpHandler CreateHandler(ClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new SocketsHttpHandler
        {
            // No connection cap of the client's own unless the scenario asks (then the engine enforces it too).
            MaxConnectionsPerServer = client.MaxConnections ?? int.MaxValue,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Connecting is part of the request: only the request's own timeout applies. (A connect timeout equal to
            // it made the same wait end as connection_error for some requests and timeout for others.)
            ConnectTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        };
    }

    public static HttpClient Create(ClientOptions client) =>
        new(CreateHandler(client))
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own timeout (client.timeoutS)
        };
}
