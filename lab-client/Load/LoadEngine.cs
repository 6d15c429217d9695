using System.Buffers;
using System.Diagnostics;
using Lab.Client.Scenarios;

namespace Lab.Client.Load;

/// <summary>
/// Drives one variant's load profile against one server and records every scheduled request.
/// Open model: a dedicated thread (never the thread pool — the client is a .NET process too) walks the
/// schedule, waits for each intended time on the monotonic clock and starts the request; if the
/// in-flight cap is reached the arrival is recorded as dropped, never silently skipped. Closed model:
/// users start and stop on the schedule and send back to back.
/// </summary>
public sealed class LoadEngine : IDisposable
{
    private readonly HttpClient _http;
    private readonly Variant _variant;
    private readonly int _repetition;
    private readonly ClientOptions _options;
    private readonly RequestRecorder _recorder;
    private readonly (Uri Uri, string Path)[] _cycle;
    private readonly SemaphoreSlim? _slots;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dispatched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inFlight;
    private long _seq;
    private long _scheduled;
    private long _sent;
    private long _dropped;
    private long _t0;
    private volatile bool _dispatchDone;

    public LoadEngine(HttpClient http, Uri server, Variant variant, ClientOptions options, RequestRecorder recorder, int repetition = 1)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _variant = variant;
        _repetition = repetition;
        _options = options;
        _recorder = recorder;
        _cycle = WeightedCycle(variant.Endpoints).Select(p => (new Uri(server, p), p)).ToArray();
        _slots = options.MaxConnections is { } n ? new SemaphoreSlim(n, n) : null;
    }

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Arrivals so far (sent or dropped), counted when they happen, not when they end.</summary>
    public long Scheduled => Interlocked.Read(ref _scheduled);

    public long Sent => Interlocked.Read(ref _sent);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Wall clock at the load's t0 (Unix ms): aligns request times with server samples.</summary>
    public long T0UnixMs { get; private set; }

    /// <summary>Seconds since t0 (0 before the load starts).</summary>
    public double ElapsedS => _t0 == 0 ? 0 : Stopwatch.GetElapsedTime(_t0).TotalSeconds;

    /// <summary>Runs the whole profile, then waits up to DrainS for in-flight requests. Stops early when <paramref name="stop"/> fires.</summary>
    public async Task<bool> RunAsync(CancellationToken stop)
    {
        T0UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _t0 = Stopwatch.GetTimestamp();
        var users = new List<Task>();
        var dispatcher = new Thread(() =>
        {
            try
            {
                if (_variant.Load.Model == LoadModel.Open) DispatchOpen(stop);
                else DispatchClosed(users, stop);

                // Hold the timeline to the profile's end: a trailing pause is where recovery shows.
                WaitUntil(_t0 + (long)(_variant.Load.DurationS * Stopwatch.Frequency), stop);
            }
            finally
            {
                _dispatchDone = true;
                if (InFlight == 0) _idle.TrySetResult();
                _dispatched.TrySetResult();
            }
        })
        { IsBackground = true, Name = "lab-dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await _dispatched.Task;

        // Drain: answers still coming count; past the drain bound (or on stop) what is left is aborted.
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(stop);
        drain.CancelAfter(TimeSpan.FromSeconds(_options.DrainS));
        try
        {
            await _idle.Task.WaitAsync(drain.Token);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            await _idle.Task.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Task.WhenAll(users);
        return !stop.IsCancellationRequested;
    }

    private void DispatchOpen(CancellationToken stop)
    {
        foreach (var arrival in Schedule.Arrivals(_variant.Load, _options.Seed))
        {
            var due = _t0 + (long)(arrival.OffsetS * Stopwatch.Frequency);
            if (!WaitUntil(due, stop)) return;
            var seq = ++_seq;
            Interlocked.Increment(ref _scheduled);
            if (InFlight >= _options.InFlightCap)
            {
                Interlocked.Increment(ref _dropped);
                Record(seq, arrival.Phase, _cycle[seq % _cycle.Length].Path, due, null, null, 0, Outcome.Dropped, 0);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            // Runs synchronously up to its first await, then continues on the pool; the thread moves on.
            _ = SendAsync(seq, arrival.Phase, due);
        }
    }

    private void DispatchClosed(List<Task> users, CancellationToken stop)
    {
        foreach (var slot in Schedule.Users(_variant.Load))
        {
            var start = _t0 + (long)(slot.StartS * Stopwatch.Frequency);
            if (!WaitUntil(start, stop)) return;
            var end = _t0 + (long)(slot.EndS * Stopwatch.Frequency);
            lock (users) users.Add(Task.Run(() => UserAsync(slot.Phase, end, stop), CancellationToken.None));
        }
    }

    /// <summary>A closed-model user: the next request is intended the moment the previous one answered.</summary>
    private async Task UserAsync(int phase, long endTs, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Stopwatch.GetTimestamp() < endTs)
        {
            var seq = Interlocked.Increment(ref _seq);
            Interlocked.Increment(ref _scheduled);
            var now = Stopwatch.GetTimestamp();
            if (InFlight >= _options.InFlightCap)
            {
                Interlocked.Increment(ref _dropped);
                Record(seq, phase, _cycle[seq % _cycle.Length].Path, now, null, null, 0, Outcome.Dropped, 0);
                await Task.Delay(10, CancellationToken.None);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            await SendAsync(seq, phase, now);
        }
    }

    /// <summary>
    /// Runs the client's own request path (this class's code, HttpClient, sockets) <paramref name="requests"/>
    /// times before t0, nothing recorded, so the first seconds of the load are not spent in the JIT (measured:
    /// without it, dispatch lag p99 was 1.9 ms at 1,000/s, all of it in the first 4 s). Against a stand-in server
    /// inside the client (<see cref="WarmUpStandIn"/>), never the server under test.
    /// </summary>
    public async Task WarmUpClientAsync(int requests, CancellationToken ct)
    {
        using var standIn = new WarmUpStandIn();
        for (var done = 0; done < requests && !ct.IsCancellationRequested; done += 4)
        {
            await Task.WhenAll(ExchangeAsync(standIn.Url, ct), ExchangeAsync(standIn.Url, ct), ExchangeAsync(standIn.Url, ct), ExchangeAsync(standIn.Url, ct));
        }
    }

    private async Task<(int Status, long Bytes, List<ServerTiming>? Timings)> ExchangeAsync(Uri uri, CancellationToken ct)
    {
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        var timings = response.Headers.TryGetValues("Server-Timing", out var values) ? ServerTiming.Parse(values) : null;
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return ((int)response.StatusCode, await DrainAsync(body, ct), timings);
    }

    private async Task SendAsync(long seq, int phase, long intended)
    {
        var (uri, path) = _cycle[seq % _cycle.Length];
        long? send = null;
        var status = 0;
        long bytes = 0;
        List<ServerTiming>? timings = null;
        Outcome outcome;
        var slot = false;
        CancellationTokenSource? timeout = null;
        try
        {
            if (_slots is not null)
            {
                // The client's own connection cap: the request is "sent" only when it gets a slot.
                await _slots.WaitAsync(_abort.Token);
                slot = true;
            }

            timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutS));
            send = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _sent);
            _recorder.Sent(new RequestRecord(_variant.Name, _repetition, phase, seq, path, Ms(intended), Ms(send.Value), null, 0, Outcome.Aborted, 0));
            (status, bytes, timings) = await ExchangeAsync(uri, timeout.Token);
            outcome = OutcomeNames.FromStatus(status);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            outcome = Outcome.Aborted;
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true)
        {
            outcome = Outcome.Timeout;
        }
        catch (OperationCanceledException)
        {
            // Not our timeout and not the end of the run: the handler cancelled on its own. (It has no connect
            // timeout of its own — the request's timeout covers connecting — so a starved server's full accept
            // backlog ends as a timeout, like every other wait.)
            outcome = Outcome.ConnectionError;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            outcome = Outcome.ConnectionError;
        }
        finally
        {
            timeout?.Dispose();
            if (slot) _slots!.Release();
        }

        Record(seq, phase, path, intended, send, Stopwatch.GetTimestamp(), status, outcome, bytes);
        if (timings is { Count: > 0 }) _recorder.Timings(_variant.Name, _repetition, seq, timings);
        if (Interlocked.Decrement(ref _inFlight) == 0 && _dispatchDone)
        {
            _idle.TrySetResult();
        }
    }

    public void Dispose()
    {
        _abort.Dispose();
        _slots?.Dispose();
    }

    private void Record(long seq, int phase, string path, long intended, long? send, long? end, int status, Outcome outcome, long bytes) =>
        _recorder.Record(new RequestRecord(_variant.Name, _repetition, phase, seq, path, Ms(intended), send is { } s ? Ms(s) : null, end is { } e ? Ms(e) : null, status, outcome, bytes));

    private double Ms(long timestamp) => Math.Round((timestamp - _t0) * 1000.0 / Stopwatch.Frequency, 3);

    private static async Task<long> DrainAsync(Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0) total += n;
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Waits on the monotonic clock until <paramref name="due"/>: a cancellable wait while more than 2 ms
    /// away, then microsecond sleeps — never a spin, which would take a core from the server under test.
    /// False when stopped.
    /// </summary>
    private static bool WaitUntil(long due, CancellationToken stop)
    {
        while (true)
        {
            if (stop.IsCancellationRequested) return false;
            var remainingUs = (due - Stopwatch.GetTimestamp()) * 1_000_000.0 / Stopwatch.Frequency;
            if (remainingUs <= 0) return true;
            if (remainingUs > 2_000) stop.WaitHandle.WaitOne(TimeSpan.FromMicroseconds(remainingUs - 1_000));
            else PreciseSleep.Microseconds((int)Math.Min(remainingUs, 1_000));
        }
    }

    /// <summary>Smooth weighted round-robin (as in nginx): weights 1 and 3 give a, b, b, b spread evenly.</summary>
    public static IReadOnlyList<string> WeightedCycle(IReadOnlyList<EndpointShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var total = shares.Sum(s => s.Weight);
        var current = new int[shares.Count];
        var cycle = new List<string>(total);
        for (var n = 0; n < total; n++)
        {
            var best = 0;
            for (var i = 0; i < shares.Count; i++)
            {
                current[i] += shares[i].Weight;
                if (current[i] > current[best]) best = i;
            }

            current[best] -= total;
            cycle.Add(shares[best].PathAndQuery);
        }

        return cycle;
    }
}
