using System.Diagnostics.Tracing;
using Lab.Contracts;

namespace Lab.Server.Telemetry;

/// <summary>
/// Listens, in process, to the runtime's thread-pool events (<c>Microsoft-Windows-DotNETRuntime</c>, threading keyword
/// 0x10000, and the .NET 9+ wait keyword 0x40000000000) and turns the ones that say why the pool grew into
/// <see cref="PoolEvent"/> records. The runtime raises these events into EventPipe; an in-process listener receives them
/// from the runtime's own EventPipe dispatch thread (named ".NET Long Running Task", not a pool thread — measured on
/// .NET 10.0.12, and counted in <see cref="CallbacksOnPool"/>), about 10 ms after they were raised, so nothing here runs
/// on the pool's critical path: the pool thread that raised an event only wrote it into a buffer.
/// </summary>
public sealed partial class PoolEventListener : EventListener
{
    public const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>ThreadingKeyword: worker start/stop/wait, adjustments (and their samples and stats, at verbose level).</summary>
    public const long ThreadingKeyword = 0x10000;

    /// <summary>WaitHandleKeyword (.NET 9+): WaitHandleWaitStart/Stop, raised only at verbose level.</summary>
    public const long WaitHandleKeyword = 0x40000000000;

    private const int WorkerStartId = 50;
    private const int WorkerStopId = 51;
    private const int AdjustmentId = 55;
    private const int WorkerWaitId = 57;
    private const int MinMaxId = 59;
    private const int WaitStartId = 301;
    private const int WaitStopId = 302;

    // Field initialisers run before the base constructor, which may already call OnEventSourceCreated.
    private readonly Lock _lock = new();
    private readonly HashSet<long> _workers = [];
    private readonly HashSet<long> _waiting = [];
    private readonly Dictionary<string, long> _byEvent = new(StringComparer.Ordinal);
    private Action<EventWrittenEventArgs, PoolEvent>? _sink;
    private bool _waits;
    private EventSource? _pending;
    private long _callbacksOnPool;
    private long _callbacks;
    private string? _dispatchThread;
    private int _dispatchOsThreadId;

    /// <param name="sink">Gets each record (without sequence number or times) with the event it came from; called on the dispatch thread.</param>
    /// <param name="waits">Also the wait events (verbose level: every wait of every thread is delivered, at a cost).</param>
    public PoolEventListener(Action<EventWrittenEventArgs, PoolEvent> sink, bool waits = false)
    {
        ArgumentNullException.ThrowIfNull(sink);
        EventSource? pending;
        lock (_lock)
        {
            _waits = waits;
            _sink = sink;
            pending = _pending;
        }

        if (pending is not null) Enable(pending);
    }

    /// <summary>Callbacks that ran on a thread-pool thread: 0 unless the runtime changed how it delivers events.</summary>
    public long CallbacksOnPool => Interlocked.Read(ref _callbacksOnPool);

    /// <summary>The name of the thread the events arrived on (null before the first).</summary>
    public string? DispatchThread => Volatile.Read(ref _dispatchThread);

    /// <summary>Its OS thread id (Linux; 0 elsewhere or before the first event), to account for its CPU.</summary>
    public int DispatchOsThreadId => Volatile.Read(ref _dispatchOsThreadId);

    /// <summary>Events delivered so far, by name.</summary>
    public IReadOnlyDictionary<string, long> CallbacksByEvent
    {
        get
        {
            lock (_lock) return new Dictionary<string, long>(_byEvent, StringComparer.Ordinal);
        }
    }

    /// <summary>Every event delivered, kept or not.</summary>
    public long Callbacks => Interlocked.Read(ref _callbacks);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name != RuntimeProvider) return;
        lock (_lock)
        {
            if (_sink is null)
            {
                _pending = eventSource;
                return;
            }
        }

        Enable(eventSource);
    }

    // Informational: adjustments, worker start/stop/idle-wait, min/max. The wait events exist only at verbose level,
    // which also delivers every wait of every thread (timers, the sampler) and hill climbing's per-sample statistics:
    // measured at 300 async req/s, the idle-wait events alone are ~880/s; at verbose level, ~50/s more waits at idle.
    private void Enable(EventSource source)
    {
        if (_waits) EnableEvents(source, EventLevel.Verbose, (EventKeywords)(ThreadingKeyword | WaitHandleKeyword));
        else EnableEvents(source, EventLevel.Informational, (EventKeywords)ThreadingKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Interlocked.Increment(ref _callbacks);
        lock (_lock)
        {
            var name = eventData.EventName ?? eventData.EventId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _byEvent[name] = _byEvent.GetValueOrDefault(name) + 1;
        }

        if (_dispatchOsThreadId == 0 && OperatingSystem.IsLinux()) _dispatchOsThreadId = ThreadCpu.CurrentOsThreadId();
        if (eventData.EventId is not (WorkerStartId or WorkerStopId or AdjustmentId or WorkerWaitId or MinMaxId or WaitStartId or WaitStopId)) return;
        var current = Thread.CurrentThread;
        if (current.IsThreadPoolThread) Interlocked.Increment(ref _callbacksOnPool);
        _dispatchThread ??= current.Name ?? $"thread {current.ManagedThreadId}";
        if (Translate(eventData) is { } record) _sink?.Invoke(eventData, record);
    }

    private PoolEvent? Translate(EventWrittenEventArgs e)
    {
        var os = e.OSThreadId;
        var p = e.Payload;
        lock (_lock)
        {
            switch (e.EventId)
            {
                case AdjustmentId:
                    return new PoolEvent
                    {
                        Kind = PoolEventKinds.Adjustment,
                        OsThreadId = os,
                        Throughput = Math.Round(Number(p, 0), 3),
                        ThreadsGoal = (int)Number(p, 1),
                        Reason = PoolEventKinds.Reason((long)Number(p, 2)),
                    };
                case WorkerStartId:
                    _workers.Add(os);
                    return new PoolEvent { Kind = PoolEventKinds.WorkerStart, OsThreadId = os, ActiveWorkers = (int)Number(p, 0) };
                case WorkerStopId:
                    _workers.Remove(os);
                    _waiting.Remove(os);
                    return new PoolEvent { Kind = PoolEventKinds.WorkerStop, OsThreadId = os, ActiveWorkers = (int)Number(p, 0) };
                case WorkerWaitId:
                    // A worker going idle: learns the workers started before the listener was.
                    _workers.Add(os);
                    return null;
                case MinMaxId:
                    return new PoolEvent { Kind = PoolEventKinds.MinMax, OsThreadId = os, MinThreads = (int)Number(p, 0), MaxThreads = (int)Number(p, 1) };
                case WaitStartId:
                    // Only pool workers: the gate and timer threads wait all the time, and are not the pool's capacity.
                    if (!_workers.Contains(os) || !_waiting.Add(os)) return null;
                    return new PoolEvent { Kind = PoolEventKinds.WaitStart, OsThreadId = os, WaitSource = Number(p, 0) == 1 ? "monitorWait" : "unknown" };
                case WaitStopId:
                    return _waiting.Remove(os) ? new PoolEvent { Kind = PoolEventKinds.WaitStop, OsThreadId = os } : null;
                default:
                    return null;
            }
        }
    }

    private static double Number(System.Collections.ObjectModel.ReadOnlyCollection<object?>? payload, int index) =>
        payload is not null && index < payload.Count && payload[index] is IConvertible c ? c.ToDouble(System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
}
