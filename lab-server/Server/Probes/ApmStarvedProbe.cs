using System.Diagnostics;
using System.Net;

namespace Lab.Server.Server.Probes;

#pragma warning disable SYSLIB0014 // C16: HttpWebRequest is the API under test.

/// <summary>
/// C16: "BeginGetRequestStream throws InvalidOperationException when the thread pool is running out of threads".
/// From a dedicated thread (never the pool): occupy every pool worker (<see cref="PoolOccupier"/>), make the Begin
/// call, hold the pool for <c>holdMs</c> from that call, release it, and time the callback against the release.
/// One probe at a time per process: two would starve each other.
/// </summary>
public sealed class ApmStarvedProbe
{
    public const string BeginRequestStream = "beginRequestStream";
    public const string BeginResponse = "beginResponse";
    public const int DefaultHoldMs = 2_000;
    public const int MinHoldMs = 100;
    public const int MaxHoldMs = 30_000;

    /// <summary>How long occupying the pool may take; a capped pool is starved in milliseconds.</summary>
    public const int OccupyBudgetMs = 10_000;

    /// <summary>How long the exchange may take once the pool is released.</summary>
    public const int AfterReleaseBudgetMs = 30_000;

    public static readonly string[] Methods = [BeginRequestStream, BeginResponse];

    // Process-wide on purpose: the pool it starves is process-wide too.
    private static int s_running;

    private readonly HttpWebRequest _request;
    private readonly string _method;
    private readonly int _holdMs;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProbeFailure? _failure;
    private long _callbackAt;
    private long _completedAt;
    private int _callbackThreadId = -1;
    private int _callbackOnPool;

    private ApmStarvedProbe(Uri backend, string method, int holdMs)
    {
        _method = method;
        _holdMs = holdMs;
        // beginRequestStream without buffering: the call has network work to start, as in S001's days.
        _request = method == BeginRequestStream ? ProbeRequests.Echo(backend, buffering: false) : ProbeRequests.Products(backend);
        // No proxy: straight to the loopback backend, like /apm.
        _request.Proxy = null;
    }

    /// <summary>
    /// Starts the probe on its own thread and returns its report to await, or null when one is already running in
    /// this process. The awaiting request continues on a pool thread, so it answers only after the release.
    /// </summary>
    public static Task<ProbeReport>? TryStart(Uri backend, string method, int holdMs)
    {
        if (Interlocked.CompareExchange(ref s_running, 1, 0) != 0)
        {
            return null;
        }

        var report = new TaskCompletionSource<ProbeReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                report.TrySetResult(new ApmStarvedProbe(backend, method, holdMs).Run());
            }
            catch (Exception ex)
            {
                report.TrySetException(ex);
            }
            finally
            {
                Volatile.Write(ref s_running, 0);
            }
        })
        { IsBackground = true, Name = "lab-probe-starved" };
        thread.Start();
        return report.Task;
    }

    private ProbeReport Run()
    {
        var timing = new ServerTiming();
        var details = new Dictionary<string, long> { ["holdMs"] = _holdMs };
        using var deadline = new ProbeDeadline(_request, OccupyBudgetMs + _holdMs + AfterReleaseBudgetMs, CancellationToken.None);
        using var occupier = new PoolOccupier(OccupyBudgetMs + _holdMs + AfterReleaseBudgetMs);
        long start = 0;
        long releasedAt;
        var threw = false;
        try
        {
            var occupyStarted = Stopwatch.GetTimestamp();
            var starved = occupier.Occupy(OccupyBudgetMs);
            timing.Ms(ProbeMetrics.StarvedOccupy, Stopwatch.GetElapsedTime(occupyStarted).TotalMilliseconds);
            timing.YesNo(ProbeMetrics.StarvedStarved, starved);
            ThreadPool.GetMinThreads(out var minWorkers, out _);
            details["maxWorkers"] = occupier.MaxWorkers;
            details["minWorkers"] = minWorkers;
            details["poolThreads"] = ThreadPool.ThreadCount;
            details["pendingWorkItems"] = ThreadPool.PendingWorkItemCount;
            details["blockersHolding"] = occupier.Holding;

            start = Stopwatch.GetTimestamp();
            threw = !Begin();
            timing.YesNo(ProbeMetrics.StarvedThrew, threw);
            timing.Ms(ProbeMetrics.StarvedBegin, Stopwatch.GetElapsedTime(start).TotalMilliseconds);

            // C16: the pool stays full for holdMs from the call, the time the callback has to show it runs anyway.
            var remainingMs = _holdMs - Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (remainingMs > 0)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(remainingMs));
            }
        }
        finally
        {
            releasedAt = Stopwatch.GetTimestamp();
            occupier.Release();
        }

        // A dedicated thread with nothing else to do: waiting here holds no pool thread. The deadline aborts the
        // request if it runs out, which ends the chain; the margin guards against a callback that never comes.
        var finished = threw || _done.Task.Wait(deadline.BudgetMs + 5_000);
        var timedOut = !finished || deadline.Expired;

        var callbackAt = Volatile.Read(ref _callbackAt);
        if (!threw)
        {
            timing.YesNo(ProbeMetrics.StarvedCallbackWhileStarved, callbackAt != 0 && callbackAt < releasedAt);
        }

        if (callbackAt != 0)
        {
            timing.Ms(ProbeMetrics.StarvedCallback, Stopwatch.GetElapsedTime(start, callbackAt).TotalMilliseconds);
            timing.Ms(ProbeMetrics.StarvedAfterRelease, callbackAt > releasedAt ? Stopwatch.GetElapsedTime(releasedAt, callbackAt).TotalMilliseconds : 0);
            details["callbackThreadId"] = Volatile.Read(ref _callbackThreadId);
            details["callbackOnPool"] = Volatile.Read(ref _callbackOnPool);
        }

        if (Volatile.Read(ref _completedAt) is var completedAt and > 0)
        {
            timing.Ms(ProbeMetrics.StarvedComplete, Stopwatch.GetElapsedTime(start, completedAt).TotalMilliseconds);
        }

        return new ProbeReport(ProbeMetrics.Starved, _method, timing.Entries, details, _failure, timedOut ? deadline.BudgetMs : null);
    }

    /// <summary>The call under test; false when it threw.</summary>
    private bool Begin()
    {
        var step = _method == BeginRequestStream ? "BeginGetRequestStream" : "BeginGetResponse";
        try
        {
            if (_method == BeginRequestStream)
            {
                _request.BeginGetRequestStream(OnRequestStream, null);
            }
            else
            {
                _request.BeginGetResponse(OnResponse, null);
            }

            return true;
        }
        catch (Exception ex)
        {
            Fail(step, ex);
            return false;
        }
    }

    private void OnFirstCallback()
    {
        if (Interlocked.CompareExchange(ref _callbackAt, Stopwatch.GetTimestamp(), 0) == 0)
        {
            Volatile.Write(ref _callbackThreadId, Environment.CurrentManagedThreadId);
            Volatile.Write(ref _callbackOnPool, Thread.CurrentThread.IsThreadPoolThread ? 1 : 0);
        }
    }

    private void OnRequestStream(IAsyncResult ar)
    {
        OnFirstCallback();
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
        OnFirstCallback();
        var step = "EndGetResponse";
        try
        {
            using var response = _request.EndGetResponse(ar);
            step = "read the response";
            ProbeRequests.ReadAll(response);
            Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            Fail(step, ex);
        }
    }

    private void Fail(string step, Exception ex)
    {
        Interlocked.CompareExchange(ref _failure, ProbeFailure.Of(step, ex), null);
        _done.TrySetResult();
    }
}
