using System.Diagnostics;
using System.Net;

namespace Lab.Server.Server.Probes;

#pragma warning disable SYSLIB0014 // C15: HttpWebRequest is the API under test.

/// <summary>
/// C15: "a Begin call does synchronous setup — DNS, proxy detection, TCP connect — on the calling thread before it
/// becomes asynchronous". On the request's own thread it makes one call to the backend through a
/// <see cref="SlowProxy"/> whose lookup sleeps <c>setupMs</c>, and measures how long the call itself held the
/// caller, how long the whole exchange took, and where the lookup ran. <c>syncResponse</c> is the positive
/// control: <c>GetResponse()</c> must hold the caller for the whole lookup.
/// </summary>
public sealed class ApmSetupProbe
{
    public const string BeginResponse = "beginResponse";
    public const string BeginRequestStream = "beginRequestStream";
    public const string SyncResponse = "syncResponse";
    public const int DefaultSetupMs = 1_500;
    public const int MaxSetupMs = 10_000;

    /// <summary>The probe's bound beyond the injected setup: the exchange itself takes milliseconds on loopback.</summary>
    public const int ExchangeBudgetMs = 30_000;

    public static readonly string[] Methods = [BeginResponse, BeginRequestStream, SyncResponse];

    private readonly HttpWebRequest _request;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProbeFailure? _failure;
    private long _bytes;
    private long _completedAt;

    private ApmSetupProbe(HttpWebRequest request) => _request = request;

    /// <summary>
    /// Runs on the calling (request) thread up to the call under test, so "the caller" is a real request thread.
    /// <c>syncResponse</c> deliberately blocks that thread for the whole setup: it is the control.
    /// </summary>
    public static async Task<ProbeReport> RunAsync(Uri backend, string method, int setupMs, CancellationToken requestAborted)
    {
        var callerThreadId = Environment.CurrentManagedThreadId;
        var proxy = new SlowProxy(setupMs, callerThreadId);
        // beginRequestStream without buffering: the stream is the connection, so the call needs the setup done.
        var request = method == BeginRequestStream ? ProbeRequests.Echo(backend, buffering: false) : ProbeRequests.Products(backend);
        request.Proxy = proxy;
        var probe = new ApmSetupProbe(request);
        using var deadline = new ProbeDeadline(request, setupMs + ExchangeBudgetMs, requestAborted);

        var start = Stopwatch.GetTimestamp();
        var inCallMs = probe.Call(method, proxy, start);
        var timedOut = !await probe.WaitAsync(deadline);

        var timing = new ServerTiming();
        timing.Ms(ProbeMetrics.SetupBegin, inCallMs);
        var end = Volatile.Read(ref probe._completedAt);
        timing.Ms(ProbeMetrics.SetupComplete, Stopwatch.GetElapsedTime(start, end > 0 ? end : Stopwatch.GetTimestamp()).TotalMilliseconds);
        var lookup = proxy.First;
        timing.Ms(ProbeMetrics.SetupSetup, lookup?.Ms ?? 0);
        timing.YesNo(ProbeMetrics.SetupRan, lookup is not null);
        timing.YesNo(ProbeMetrics.SetupOnCaller, lookup?.OnCallerDuringCall ?? false);
        timing.YesNo(ProbeMetrics.SetupOnPool, lookup?.OnPoolThread ?? false);
        timing.YesNo(ProbeMetrics.SetupThrew, probe._failure is not null && !timedOut);
        var details = new Dictionary<string, long>
        {
            ["setupMs"] = setupMs,
            ["callerThreadId"] = callerThreadId,
            ["setupThreadId"] = lookup?.ThreadId ?? -1,
            ["getProxyCalls"] = proxy.Calls,
            ["bytesRead"] = Interlocked.Read(ref probe._bytes),
        };
        return new ProbeReport(ProbeMetrics.Setup, method, timing.Entries, details, probe._failure, timedOut ? deadline.BudgetMs : null);
    }

    /// <summary>Makes the call under test on this thread; returns the milliseconds spent inside it.</summary>
    private double Call(string method, SlowProxy proxy, long start)
    {
        var step = method switch
        {
            SyncResponse => "GetResponse",
            BeginRequestStream => "BeginGetRequestStream",
            _ => "BeginGetResponse",
        };
        WebResponse? response = null;
        proxy.CallerInsideCall = true;
        try
        {
            switch (method)
            {
                case SyncResponse:
                    response = _request.GetResponse();
                    break;
                case BeginRequestStream:
                    _request.BeginGetRequestStream(OnRequestStream, null);
                    break;
                default:
                    _request.BeginGetResponse(OnResponse, null);
                    break;
            }
        }
        catch (Exception ex)
        {
            Fail(step, ex);
        }
        finally
        {
            proxy.CallerInsideCall = false;
        }

        var inCallMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response is not null)
        {
            try
            {
                using (response)
                {
                    Interlocked.Add(ref _bytes, ProbeRequests.ReadAll(response).Length);
                }

                Complete();
            }
            catch (Exception ex)
            {
                Fail("read the response", ex);
            }
        }

        return inCallMs;
    }

    private void OnRequestStream(IAsyncResult ar)
    {
        var step = "EndGetRequestStream";
        try
        {
            var stream = _request.EndGetRequestStream(ar);
            step = "write the body";
            ProbeRequests.WriteBody(stream);
            step = "BeginGetResponse";
            _request.BeginGetResponse(OnResponse, null);
        }
        catch (Exception ex)
        {
            Fail(step, ex);
        }
    }

    private void OnResponse(IAsyncResult ar)
    {
        var step = "EndGetResponse";
        try
        {
            using var response = _request.EndGetResponse(ar);
            step = "read the response";
            // A one-item body already in the buffer: a synchronous read here costs nothing measurable.
            Interlocked.Add(ref _bytes, ProbeRequests.ReadAll(response).Length);
            Complete();
        }
        catch (Exception ex)
        {
            Fail(step, ex);
        }
    }

    private void Complete()
    {
        Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
        _done.TrySetResult();
    }

    private void Fail(string step, Exception ex)
    {
        Interlocked.CompareExchange(ref _failure, ProbeFailure.Of(step, ex), null);
        Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
        _done.TrySetResult();
    }

    /// <summary>False when the deadline ran out (the request was then aborted) before the exchange ended.</summary>
    private async Task<bool> WaitAsync(ProbeDeadline deadline)
    {
        // The deadline aborts the request, which ends the chain through its callbacks; the extra seconds only
        // guard against a callback that never comes.
        try
        {
            await _done.Task.WaitAsync(TimeSpan.FromMilliseconds(deadline.BudgetMs + 5_000));
        }
        catch (TimeoutException)
        {
            return false;
        }

        return !deadline.Expired;
    }
}
