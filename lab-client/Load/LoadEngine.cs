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
    private readonly DispatchSeconds _seconds = new();
    private readonly SharedTimeouts _timeouts;

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
        _timeouts = new SharedTimeouts(TimeSpan.FromSeconds(options.TimeoutS), _abort.Token);
    }

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Arrivals so far (sent or dropped), counted when they happen, not when they end.</summary>
    public long Scheduled => Interlocked.Read(ref _scheduled);

    public long Sent => Interlocked.Read(ref _sent);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>How the kernel schedules the dispatcher thread (what <see cref="DispatcherScheduling"/> could apply).</summary>
    public string? Scheduling { get; private set; }

    /// <summary>Wall clock at the load's t0 (Unix ms): aligns request times with server samples.</summary>
    public long T0UnixMs { get; private set; }

    /// <summary>Arrivals, sends, drops and dispatch lag per second of the load, kept as they happen (for the live progress and client-metrics.csv).</summary>
    public DispatchSeconds Seconds => _seconds;

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
                // Only the open model keeps a schedule to the microsecond; a closed model's dispatcher just starts users.
                if (_variant.Load.Model == LoadModel.Open)
                {
                    Scheduling = DispatcherScheduling.ApplyToCurrentThread();
                    DispatchOpen(stop);
                }
                else
                {
                    DispatchClosed(users, stop);
                }

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
        // When the dispatcher last woke from a sleep: DispatchWait sends the arrivals due within one window together.
        var lastWake = long.MinValue / 2;
        foreach (var arrival in Schedule.Arrivals(_variant.Load, _options.Seed))
        {
            var due = _t0 + (long)(arrival.OffsetS * Stopwatch.Frequency);
            if (!WaitUntil(due, ref lastWake, stop)) return;
            var seq = ++_seq;
            Interlocked.Increment(ref _scheduled);
            // The client cannot keep up: past the in-flight cap the arrival is recorded as dropped (at its intended time),
            // counted, and the dispatcher moves on at once — no send, no wait, so a dispatcher behind catches up.
            var drop = InFlight >= _options.InFlightCap;
            _seconds.Arrival(SecondOf(Stopwatch.GetTimestamp()), drop);
            if (drop)
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
            var drop = InFlight >= _options.InFlightCap;
            _seconds.Arrival(SecondOf(now), drop);
            if (drop)
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
    /// Runs the client's own request path before t0 — this engine's dispatcher, both models, the send and answer
    /// paths, the recorder's formatting and statistics, the journal — against a stand-in server inside the client
    /// (<see cref="WarmUpStandIn"/>, never the server under test), recorded into a throwaway folder. The client
    /// runs without tiered compilation, so every method is compiled on its first call: the first requests of the
    /// load must not be the ones that pay for it. (Measured: with only the HTTP exchange warmed, the first wave of a
    /// 200-user closed run still compiled the engine's send and record paths while it ran; without any client
    /// warm-up, dispatch lag p99 was 1.9 ms at 1,000/s, all of it in the first 4 s.)
    /// </summary>
    public Task WarmUpClientAsync(int requests, CancellationToken ct) => WarmUpClientAsync(_http, _variant, _options, _repetition, requests, ct);

    /// <summary>
    /// <see cref="WarmUpClientAsync(int, CancellationToken)"/> before the engine exists: it needs no server, so the
    /// orchestrator runs it while the server under test starts.
    /// </summary>
    public static async Task WarmUpClientAsync(HttpClient http, Variant variant, ClientOptions clientOptions, int repetition, int requests, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(clientOptions);
        using var standIn = new WarmUpStandIn();
        var folder = Directory.CreateTempSubdirectory("lab-client-warmup-");
        try
        {
            using (var recorder = new RequestRecorder(Path.Combine(folder.FullName, "requests.csv")))
            {
                var options = clientOptions with { DrainS = 5, TimeoutS = 5 };
                var endpoints = new[] { new EndpointShare("/warm-up", 1) };
                // Open: the arrivals at 2,000/s (batched sends and single ones); closed: 4 users back to back for 0.1 s.
                LoadProfile[] profiles =
                [
                    new(LoadModel.Open, [new InjectPhase(2_000, Math.Max(1, requests) / 2_000.0)]),
                    new(LoadModel.Closed, [new KeepConcurrentPhase(4, 0.1)]),
                ];
                foreach (var profile in profiles)
                {
                    var warmUp = variant with { Name = "warm-up", Endpoints = endpoints, Load = profile };
                    using var engine = new LoadEngine(http, standIn.Url, warmUp, options, recorder, repetition);
                    await engine.RunAsync(ct);
                    _ = engine.Seconds.Read(0);
                }

                recorder.Complete();
            }
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    /// <summary>
    /// One request, from its send to its record: one async method for the whole exchange (measured at 8,000/s: the
    /// state machines of separate exchange and drain methods were a sixth of what the client allocated per request).
    /// </summary>
    private async Task SendAsync(long seq, int phase, long intended)
    {
        var (uri, path) = _cycle[seq % _cycle.Length];
        long? send = null;
        var status = 0;
        long bytes = 0;
        List<ServerTiming>? timings = null;
        Outcome outcome;
        var slot = false;
        var timeout = CancellationToken.None;
        byte[]? buffer = null;
        try
        {
            if (_slots is not null)
            {
                // The client's own connection cap: the request is "sent" only when it gets a slot.
                await _slots.WaitAsync(_abort.Token);
                slot = true;
            }

            send = Stopwatch.GetTimestamp();
            timeout = _timeouts.For(send.Value);
            Interlocked.Increment(ref _sent);
            _seconds.Sent(SecondOf(send.Value), (send.Value - intended) * 1_000_000 / Stopwatch.Frequency);
            _recorder.Sent(new InFlightEntry(_variant.Name, _repetition, phase, seq, path, Ms(intended), Ms(send.Value)));
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout);
            status = (int)response.StatusCode;
            // Unvalidated: ServerTiming parses the header itself; the validating lookup parsed it once more for nothing.
            if (response.Headers.NonValidated.TryGetValues("Server-Timing", out var values)) timings = ServerTiming.Parse(values);
            // The answer's stream is there once its headers are: no task for it. Read to the end, so the connection is reused.
            await using (var body = response.Content.ReadAsStream(timeout))
            {
                buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                int n;
                while ((n = await body.ReadAsync(buffer, timeout)) > 0) bytes += n;
            }

            outcome = OutcomeNames.FromStatus(status);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            outcome = Outcome.Aborted;
        }
        catch (OperationCanceledException) when (_timeouts.TimedOut(timeout))
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
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
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
        _timeouts.Dispose();
        _abort.Dispose();
        _slots?.Dispose();
    }

    private void Record(long seq, int phase, string path, long intended, long? send, long? end, int status, Outcome outcome, long bytes) =>
        _recorder.Record(new RequestRecord(_variant.Name, _repetition, phase, seq, path, Ms(intended), send is { } s ? Ms(s) : null, end is { } e ? Ms(e) : null, status, outcome, bytes));

    private int SecondOf(long timestamp) => (int)((timestamp - _t0) / Stopwatch.Frequency);

    private double Ms(long timestamp) => Math.Round((timestamp - _t0) * 1000.0 / Stopwatch.Frequency, 3);

    /// <summary>Waits until <paramref name="due"/> with no batching (closed-model user starts, the profile's end). False when stopped.</summary>
    private static bool WaitUntil(long due, CancellationToken stop)
    {
        var lastWake = long.MinValue / 2;
        return WaitUntil(due, ref lastWake, stop);
    }

    /// <summary>
    /// Waits on the monotonic clock until <paramref name="due"/> as <see cref="DispatchWait"/> decides: a cancellable
    /// block while far away, then one absolute sleep — never a spin, which would take a core from the server under
    /// test. <paramref name="lastWake"/> is updated after each sleep. False when stopped.
    /// </summary>
    private static bool WaitUntil(long due, ref long lastWake, CancellationToken stop)
    {
        while (true)
        {
            if (stop.IsCancellationRequested) return false;
            var step = DispatchWait.Next(Stopwatch.GetTimestamp(), due, lastWake, Stopwatch.Frequency);
            switch (step.Kind)
            {
                case WaitKind.Go:
                    return true;
                case WaitKind.Block:
                    stop.WaitHandle.WaitOne(TimeSpan.FromTicks(Math.Max(0, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), step.UntilTicks).Ticks)));
                    break;
                default:
                    PreciseSleep.Until(step.UntilTicks);
                    lastWake = Stopwatch.GetTimestamp();
                    break;
            }
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
