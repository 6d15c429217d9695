using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Text.Json;
using Lab.Contracts;

namespace Lab.Server.Telemetry;

/// <summary>
/// Records why the pool grew: the runtime's thread-pool events (<see cref="PoolEventListener"/>) appended to a JSON-lines
/// file (<c>EventFile</c>) by a dedicated writer thread, flushed within <see cref="FlushIntervalMs"/> of each event, so a
/// killed server still leaves what happened up to its last moments. Each record carries the runtime's own timestamp,
/// converted to the sampler's clocks: <c>unixMs</c> (wall clock) and <c>monoMs</c> (milliseconds since the sampler's
/// origin), so an adjustment lines up with the samples around it. The dispatch thread only enqueues; the queue is
/// bounded (<see cref="QueueCapacity"/>), and what it drops is written as a <c>lost</c> record, never silently.
/// </summary>
public sealed class PoolEventRecorder : IDisposable
{
    public const int QueueCapacity = 100_000;
    public const int FlushIntervalMs = 50;

    private static readonly DateTime s_unixEpoch = DateTime.UnixEpoch;

    private readonly ConcurrentQueue<(PoolEvent Event, DateTime TimeStamp)> _queue = new();
    private readonly FileStream _file;
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _signal = new();
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Lock _writeLock = new();
    private long _origin;
    private DateTime _pairUtc;
    private long _pairTimestamp;
    private PoolEventListener? _listener;
    private int _queued;
    private long _lost;
    private long _lostWritten;
    private long _seq;
    private bool _stopped;
    private int _writerOsThreadId;
    private double? _writerCpuS;
    private readonly bool _waits;

    /// <param name="path">The events file (created; must not hold another run's data — settings check that).</param>
    /// <param name="waits">Also pool workers' blocking waits (verbose level; see <see cref="PoolEventListener"/>).</param>
    public PoolEventRecorder(string path, bool waits = false)
    {
        _waits = waits;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.None);
        _writer = new Thread(Write) { IsBackground = true, Name = "lab-events", Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Writes the first line and starts listening.</summary>
    /// <param name="originTimestamp">The sampler's <see cref="Sampler.OriginTimestamp"/>: <c>monoMs</c> counts from it.</param>
    public void Start(long originTimestamp)
    {
        _origin = originTimestamp;
        // EventPipe stamps events with the monotonic clock and hands listeners UTC times computed linearly from it
        // (sync point taken when its session starts); this pair, read back to back, maps them onto the Stopwatch
        // clock. Measured: a ThreadCreating event raised inside a bracketed Thread.Start() mapped 70–250 µs after the
        // bracket opened, always inside it.
        _pairUtc = DateTime.UtcNow;
        _pairTimestamp = Stopwatch.GetTimestamp();
        ThreadPool.GetMinThreads(out var min, out _);
        ThreadPool.GetMaxThreads(out var max, out _);
        lock (_writeLock)
        {
            WriteLocked(Stamp(new PoolEvent { Kind = PoolEventKinds.Start, Format = PoolEventKinds.FormatVersion, Waits = _waits, MinThreads = min, MaxThreads = max, OsThreadId = Environment.CurrentManagedThreadId }, DateTime.UtcNow));
            _file.Flush();
        }

        _writer.Start();
        _listener = new PoolEventListener(Enqueue, _waits);
    }

    private void Enqueue(EventWrittenEventArgs e, PoolEvent record)
    {
        if (Interlocked.Increment(ref _queued) > QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _lost);
            return;
        }

        _queue.Enqueue((record, e.TimeStamp));
        _signal.Set();
    }

    private PoolEvent Stamp(PoolEvent e, DateTime utc) => e with
    {
        UnixMs = Math.Round((utc - s_unixEpoch).TotalMilliseconds, 3),
        MonoMs = Math.Round((utc - _pairUtc).TotalMilliseconds + (_pairTimestamp - _origin) * 1000.0 / Stopwatch.Frequency, 3),
    };

    private void Write()
    {
        _writerOsThreadId = ThreadCpu.CurrentOsThreadId();
        try
        {
            while (!_stopping.IsSet)
            {
                _signal.Wait(250);
                _signal.Reset();
                lock (_writeLock)
                {
                    if (_stopped) return;
                    DrainLocked();
                }

                // Batch what arrives in the next moments into one write.
                _stopping.Wait(FlushIntervalMs);
            }
        }
        finally
        {
            // Read while the thread still exists: /proc forgets it when it exits.
            _writerCpuS = ThreadCpu.Seconds(_writerOsThreadId);
        }
    }

    private void DrainLocked()
    {
        try
        {
            var lost = Interlocked.Read(ref _lost);
            if (lost > _lostWritten)
            {
                WriteLocked(Stamp(new PoolEvent { Kind = PoolEventKinds.Lost, Count = lost - _lostWritten }, DateTime.UtcNow));
                _lostWritten = lost;
            }

            var any = false;
            while (_queue.TryDequeue(out var item))
            {
                Interlocked.Decrement(ref _queued);
                WriteLocked(Stamp(item.Event, item.TimeStamp));
                any = true;
            }

            if (any || lost > 0) _file.Flush();
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"lab-server: event file write failed: {ex.Message}");
        }
    }

    private void WriteLocked(PoolEvent e)
    {
        JsonSerializer.Serialize(_file, e with { Seq = ++_seq }, ContractsJson.Default.PoolEvent);
        _file.WriteByte((byte)'\n');
    }

    /// <summary>Stops listening, writes what is queued and a last <c>stop</c> line, and closes the file. Safe to call twice, from any thread.</summary>
    public void Stop()
    {
        // Before the listener goes: the dispatch thread exits with the last listener, and /proc forgets it.
        var dispatchCpuS = _listener is { DispatchOsThreadId: > 0 } l ? ThreadCpu.Seconds(l.DispatchOsThreadId) : 0;
        _listener?.Dispose();
        _stopping.Set();
        _signal.Set();
        if (_writer.IsAlive && Thread.CurrentThread != _writer) _writer.Join(TimeSpan.FromSeconds(2));
        lock (_writeLock)
        {
            if (_stopped) return;
            _stopped = true;
            DrainLocked();
            try
            {
                WriteLocked(Stamp(new PoolEvent
                {
                    Kind = PoolEventKinds.Stop,
                    Count = Interlocked.Read(ref _lost),
                    DispatchThread = _listener?.DispatchThread,
                    CallbacksOnPool = _listener?.CallbacksOnPool ?? 0,
                    Callbacks = _listener?.Callbacks ?? 0,
                    CallbacksByEvent = _listener?.CallbacksByEvent,
                    RecorderCpuS = dispatchCpuS is { } d && _writerCpuS is { } w ? Math.Round(d + w, 3) : null,
                    ProcessCpuS = Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 3),
                }, DateTime.UtcNow));
                _file.Dispose();
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"lab-server: event file write failed: {ex.Message}");
            }
        }
    }

    public void Dispose()
    {
        Stop();
        _signal.Dispose();
        _stopping.Dispose();
    }
}
