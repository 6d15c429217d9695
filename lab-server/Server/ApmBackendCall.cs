using System.Diagnostics;
using System.Globalization;
using System.Net;
using Lab.Server.Backend;
using Lab.Server.Telemetry;

namespace Lab.Server.Server;

#pragma warning disable SYSLIB0014 // C12: HttpWebRequest's Begin/End chain is the very thing this endpoint measures.

/// <summary>
/// The sources' APM pattern, kept faithful: <c>BeginGetResponse</c>, then a <c>BeginRead</c> loop on
/// the response stream, each step started from the previous step's callback. No thread waits; the
/// chain is bridged to the request through a TaskCompletionSource that the endpoint awaits.
/// </summary>
public sealed class ApmBackendCall
{
    private readonly HttpWebRequest _request;
    private readonly BackendRequest _call;
    private readonly LabCounters _counters;
    private readonly FanOutProgress _progress;
    private readonly CancellationToken _ct;
    private readonly TaskCompletionSource<BackendCallResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly Stopwatch _sw = Stopwatch.StartNew();
    private CancellationTokenRegistration _abortOnCancel;
    private HttpWebResponse? _response;
    private Stream? _stream;
    private long _bytes;
    private int _ended;

    private ApmBackendCall(Uri baseAddress, BackendRequest call, LabCounters counters, FanOutProgress progress, CancellationToken ct)
    {
        _request = WebRequest.CreateHttp(new Uri(baseAddress, call.PathAndQuery));
        _request.Proxy = null;
        _call = call;
        _counters = counters;
        _progress = progress;
        _ct = ct;
    }

    public static Task<BackendCallResult> StartAsync(Uri baseAddress, BackendRequest call, LabCounters counters, FanOutProgress progress, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var apm = new ApmBackendCall(baseAddress, call, counters, progress, ct);
        apm.Begin();
        return apm._done.Task;
    }

    private void Begin()
    {
        _progress.OnStarted();
        _counters.BackendCallStarted();
        _abortOnCancel = _ct.Register(static s => ((HttpWebRequest)s!).Abort(), _request);
        try
        {
            _request.BeginGetResponse(OnResponse, null);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void OnResponse(IAsyncResult ar)
    {
        try
        {
            try
            {
                _response = (HttpWebResponse)_request.EndGetResponse(ar);
            }
            catch (WebException ex) when (ex.Response is HttpWebResponse errorResponse)
            {
                // HttpWebRequest throws for non-2xx; the status is still the backend's answer.
                _response = errorResponse;
            }

            _stream = _response.GetResponseStream();
            ReadNext();
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void ReadNext()
    {
        // Reads that complete synchronously continue in this loop rather than recursing in the callback.
        while (true)
        {
            var ar = _stream!.BeginRead(_buffer, 0, _buffer.Length, OnRead, null);
            if (!ar.CompletedSynchronously || !EndRead(ar))
            {
                return;
            }
        }
    }

    private void OnRead(IAsyncResult ar)
    {
        if (ar.CompletedSynchronously)
        {
            return;
        }

        try
        {
            if (EndRead(ar))
            {
                ReadNext();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>True when there may be more to read.</summary>
    private bool EndRead(IAsyncResult ar)
    {
        var n = _stream!.EndRead(ar);
        if (n > 0)
        {
            _bytes += n;
            return true;
        }

        _progress.OnCompleted();
        var result = new BackendCallResult(
            _call.Kind,
            (int)_response!.StatusCode,
            _bytes,
            Header(BackendEndpoints.ItemsHeader),
            Header(BackendEndpoints.DelayHeader),
            Math.Round(_sw.Elapsed.TotalMilliseconds, 2));
        if (Finish())
        {
            _done.TrySetResult(result);
        }

        return false;
    }

    private void Fail(Exception ex)
    {
        if (!Finish())
        {
            return;
        }

        if (_ct.IsCancellationRequested)
        {
            _counters.BackendCallCancelled();
            _done.TrySetCanceled(_ct);
        }
        else
        {
            _done.TrySetException(ex is WebException web ? new HttpRequestException(web.Message, web) : ex);
        }
    }

    private bool Finish()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        _abortOnCancel.Dispose();
        _stream?.Dispose();
        _response?.Dispose();
        _counters.BackendCallEnded();
        return true;
    }

    private int Header(string name) =>
        int.TryParse(_response!.Headers[name], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
}
