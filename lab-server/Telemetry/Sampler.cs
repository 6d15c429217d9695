using System.Diagnostics;
using System.Text.Json;
using Lab.Contracts;
using Lab.Server.Telemetry.Textfile;

namespace Lab.Server.Telemetry;

/// <summary>
/// Takes a <see cref="ServerSample"/> every interval on a dedicated OS thread — never the thread pool,
/// so a server whose every pool thread is blocked still records what happens to it: measuring starvation with
/// a pool-bound timer would stall exactly when it matters.
/// Ticks follow <c>t0 + k·interval</c> on a monotonic clock; a late tick is taken at once and the
/// next one stays on the grid, so the file shows a stall instead of hiding it. Each sample is
/// appended to the JSON-lines file and flushed before the next one, so a killed process keeps it, and replaces
/// the Prometheus textfile when there is one, so node_exporter serves it while the pool is starved.
/// </summary>
public sealed class Sampler : IDisposable
{
    private readonly LabCounters _counters;
    private readonly Func<long> _limiterQueue;
    private readonly SampleBuffer _buffer;
    private readonly TimeSpan _interval;
    private readonly FileStream? _file;
    private readonly PrometheusTextfile? _textfile;
    private readonly long _textfileEvery;
    private readonly Thread _thread;
    private long _origin;
    private readonly Lock _writeLock = new();
    private readonly ManualResetEventSlim _stop = new();
    private long _seq;
    private bool _stopped;

    public Sampler(LabCounters counters, Func<long> limiterQueue, SampleBuffer buffer, int intervalMs, string? filePath, PrometheusTextfile? textfile = null)
    {
        _textfile = textfile;
        _textfileEvery = TextfileEvery(intervalMs);
        _counters = counters;
        _limiterQueue = limiterQueue;
        _buffer = buffer;
        _interval = TimeSpan.FromMilliseconds(intervalMs);
        _file = filePath is null ? null : new FileStream(filePath, FileMode.Create, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        _thread = new Thread(Run) { IsBackground = true, Name = "lab-sampler", Priority = ThreadPriority.AboveNormal };
    }

    public void Start()
    {
        _origin = Stopwatch.GetTimestamp();
        _thread.Start();
    }

    /// <summary>
    /// <see cref="Stopwatch.GetTimestamp"/> when sampling began: <c>monoMs</c> counts from it, so other recorders
    /// (<see cref="PoolEventRecorder"/>) can stamp their records on the same clock. 0 before <see cref="Start"/>.
    /// </summary>
    public long OriginTimestamp => _origin;

    private TimeSpan Elapsed => _origin == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_origin);

    /// <summary>Takes one last sample (so the file ends with the final state) and closes the file.</summary>
    public void Stop()
    {
        _stop.Set();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }

        lock (_writeLock)
        {
            if (_stopped) return;
            TakeLocked();
            _stopped = true;
            _file?.Dispose();
            _textfile?.Delete();
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        long tick = 0;
        while (true)
        {
            lock (_writeLock)
            {
                if (_stopped) return;
                TakeLocked();
            }

            tick++;
            var due = _interval * tick;
            var now = Elapsed;
            if (now > due)
            {
                // Fell behind (the machine, not the pool, was starved): skip to the next slot on the grid.
                tick = (long)(now / _interval) + 1;
                due = _interval * tick;
            }

            if (_stop.Wait(due - now))
            {
                return;
            }
        }
    }

    private void TakeLocked()
    {
        var sample = Take(++_seq);
        _buffer.Add(sample);
        try
        {
            if (_file is not null)
            {
                JsonSerializer.Serialize(_file, sample, ContractsJson.Default.ServerSample);
                _file.WriteByte((byte)'\n');
                _file.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Keep sampling into memory; the lost file is reported once on stderr.
            Console.Error.WriteLine($"lab-server: sample file write failed: {ex.Message}");
        }

        if (_textfile is not null && sample.Seq % _textfileEvery == 0)
        {
            _textfile.Write(sample);
        }
    }

    /// <summary>
    /// Every how many samples the textfile is replaced: each sample, but no more than once per
    /// <see cref="TextfileMinIntervalMs"/>. Measured on ext4 (2 cores): a write-and-rename costs ~0.3 ms of CPU
    /// (median 0.3 ms, p99 5 ms wall: ext4 flushes a file renamed over another), so ten a second is ~0.3 % of a
    /// core and stays well inside a 100 ms tick; at 10 ms samples it would cost more than sampling, for a file
    /// that Prometheus reads once a second at most.
    /// </summary>
    public static long TextfileEvery(int intervalMs) => Math.Max(1, (TextfileMinIntervalMs + intervalMs - 1) / intervalMs);

    public const int TextfileMinIntervalMs = 100;

    private ServerSample Take(long seq)
    {
        var mem = ProcessMemory.Read();
        var gc = GC.GetGCMemoryInfo();
        return new ServerSample
        {
            Seq = seq,
            UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            MonoMs = Math.Round(Elapsed.TotalMilliseconds, 3),
            ThreadPoolThreadCount = ThreadPool.ThreadCount,
            ThreadPoolQueueLength = ThreadPool.PendingWorkItemCount,
            ThreadPoolCompletedWorkItems = ThreadPool.CompletedWorkItemCount,
            ProcessThreadCount = mem.OsThreads,
            WorkingSetBytes = mem.ResidentBytes,
            VirtualBytes = mem.VirtualBytes,
            PrivateBytes = mem.PrivateBytes,
            GcHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            GcCommittedBytes = gc.TotalCommittedBytes,
            CpuTimeS = Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 4),
            ActiveRequests = _counters.ActiveRequests,
            LimiterQueuedRequests = _limiterQueue(),
            RejectedRequests = _counters.RejectedRequests,
            TimedOutRequests = _counters.TimedOutRequests,
            BackendActiveRequests = _counters.BackendActive,
            BackendOpenConnections = _counters.OpenConnections,
            LeakedResponses = _counters.LeakedResponses,
            BackendCancelled = _counters.BackendCancelled,
        };
    }
}
