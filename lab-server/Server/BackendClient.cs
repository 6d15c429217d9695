using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lab.Server.Backend;
using Lab.Server.Configuration;
using Lab.Server.Telemetry;

namespace Lab.Server.Server;

/// <summary>
/// The one outbound HttpClient of the server and the styles of calling the backend through it.
/// The sync style uses HttpClient.Send, which does real blocking socket I/O for HTTP/1.1 (the pool
/// is not told the thread is blocked); the async style awaits; the leaky style forgets the response.
/// </summary>
public sealed class BackendClient : IDisposable
{
    private const int BufferBytes = 16 * 1024;

    private readonly HttpClient _http;
    private readonly LabCounters _counters;
    private readonly ConcurrentQueue<HttpResponseMessage> _leaked = new();

    public BackendClient(LabSettings settings, LabCounters counters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _counters = counters;
        var handler = new SocketsHttpHandler
        {
            // C8: the maxconnection analog. int.MaxValue (the .NET default) means no cap.
            MaxConnectionsPerServer = settings.MaxConnectionsPerServer.Connections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Prewarmed connections must still be there when the load arrives.
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = settings.BackendUrl,
            Timeout = TimeSpan.FromMilliseconds(settings.BackendTimeoutMs),
        };
        BaseAddress = settings.BackendUrl;
    }

    public Uri BaseAddress { get; }

    /// <summary>Blocks the calling thread for the whole call: send, wait, read (C1).</summary>
    public BackendCallResult CallSync(BackendRequest call, FanOutProgress progress, CancellationToken ct)
    {
        var sw = Begin(progress, ct);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, call.PathAndQuery);
            using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, ct);
            using var body = response.Content.ReadAsStream(ct);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
            long bytes = 0;
            try
            {
                int n;
                while ((n = body.Read(buffer, 0, buffer.Length)) > 0)
                {
                    bytes += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return End(call, response, bytes, sw, progress);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _counters.BackendCallCancelled();
            throw;
        }
        finally
        {
            _counters.BackendCallEnded();
        }
    }

    /// <summary>Awaits the whole call: no thread is held while the backend delays (C1, C5).</summary>
    public async Task<BackendCallResult> CallAsync(BackendRequest call, FanOutProgress progress, CancellationToken ct)
    {
        var sw = Begin(progress, ct);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, call.PathAndQuery);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
            long bytes = 0;
            try
            {
                int n;
                while ((n = await body.ReadAsync(buffer, ct)) > 0)
                {
                    bytes += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return End(call, response, bytes, sw, progress);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _counters.BackendCallCancelled();
            throw;
        }
        finally
        {
            _counters.BackendCallEnded();
        }
    }

    /// <summary>
    /// C11: reads the headers and never disposes the response, so its connection is never returned
    /// to the pool. The response is kept referenced (as a forgotten field would keep it): an
    /// unreferenced one would be rescued by the finalizer at some later GC, which only hides the leak.
    /// </summary>
    public async Task<BackendCallResult> CallLeakyAsync(BackendRequest call, FanOutProgress progress, CancellationToken ct)
    {
        var sw = Begin(progress, ct);
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, call.PathAndQuery);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            _leaked.Enqueue(response);
            _counters.ResponseLeaked();
            return End(call, response, 0, sw, progress);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _counters.BackendCallCancelled();
            throw;
        }
        finally
        {
            _counters.BackendCallEnded();
        }
    }

    /// <summary>
    /// Opens <paramref name="connections"/> pooled connections by sending that many overlapping requests,
    /// each held by the backend long enough that none can reuse another's connection.
    /// </summary>
    public async Task PrewarmAsync(int connections, CancellationToken ct)
    {
        var hold = new BackendRequest(BackendEndpoints.Kinds[0], new Http.DelaySpec(300, 300), 0);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => CallAsync(hold, new FanOutProgress(1), ct)));
    }

    public void Dispose()
    {
        while (_leaked.TryDequeue(out var r))
        {
            r.Dispose();
        }

        _http.Dispose();
    }

    private Stopwatch Begin(FanOutProgress progress, CancellationToken ct)
    {
        // C7: a call never starts after the budget ran out.
        ct.ThrowIfCancellationRequested();
        progress.OnStarted();
        _counters.BackendCallStarted();
        return Stopwatch.StartNew();
    }

    private static BackendCallResult End(BackendRequest call, HttpResponseMessage response, long bytes, Stopwatch sw, FanOutProgress progress)
    {
        progress.OnCompleted();
        return new BackendCallResult(
            call.Kind,
            (int)response.StatusCode,
            bytes,
            Header(response, BackendEndpoints.ItemsHeader),
            Header(response, BackendEndpoints.DelayHeader),
            Math.Round(sw.Elapsed.TotalMilliseconds, 2));
    }

    private static int Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
}
