using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.Json;
using Lab.Contracts;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Thread-pool telemetry of any .NET process, through its diagnostics port: the EventPipe counters dotnet-counters
/// shows — System.Runtime (pool threads, queue length, completed items, GC heap), Microsoft.AspNetCore.Hosting
/// (requests in flight), System.Net.Http (outbound connections) — plus the process's threads, memory and CPU time from
/// /proc. The runtime publishes counters from its own timer thread, not the pool, and this reader runs on a dedicated
/// thread of the client's, so a starved target keeps being sampled (measured: largest gap 0.216 s at 0.2 s while every
/// pool thread blocked in Task.Wait). Samples land in the same JSON-lines format as lab-server's own sampler, so the
/// analysis, charts and checks treat them alike.
/// </summary>
public sealed class EventPipeSampler : IDisposable
{
    /// <summary>Counters a sample needs, by the names the runtime publishes them under.</summary>
    private static readonly string[] s_providers = ["System.Runtime", "Microsoft.AspNetCore.Hosting", "System.Net.Http"];

    private readonly int _pid;
    private readonly EventPipeSession _session;
    private readonly Thread _reader;
    private readonly StreamWriter _output;
    private readonly EventPipePoolEvents? _events;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, double> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private DateTime _pendingTime;
    private double _completedItems;
    private long _seq;
    private int _disposed;

    private EventPipeSampler(int pid, EventPipeSession session, string path, string? eventsPath)
    {
        _pid = pid;
        _session = session;
        _output = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        _events = eventsPath is null ? null : new EventPipePoolEvents(eventsPath, _clock.Elapsed.TotalMilliseconds);
        _reader = new Thread(Read) { IsBackground = true, Name = "lab-eventpipe" };
    }

    /// <summary>Samples written so far.</summary>
    public long Samples => Interlocked.Read(ref _seq);

    /// <summary>The newest sample, for live progress.</summary>
    public ServerSample? Latest { get; private set; }

    /// <summary>Why reading stopped early, if it did (the process exited, the port refused).</summary>
    public string? Failure { get; private set; }

    /// <summary>How long the target's diagnostics port may take to answer the session's start, per attempt.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects to <paramref name="pid"/>'s diagnostics port and starts sampling every <paramref name="intervalMs"/> into
    /// <paramref name="path"/>, and, with <paramref name="eventsPath"/>, its thread-pool events (why the pool grew) into
    /// that file. Throws <see cref="InvalidOperationException"/> saying why when the process has no port (not .NET,
    /// diagnostics disabled with DOTNET_EnableDiagnostics=0, another user's process) or did not answer.
    /// The start is bounded: once, a freshly started lab-server never answered the start command (the client waited
    /// in IpcHeader.Parse for over eight minutes while the server ran on, its counters already enabled), most likely a
    /// race with the in-process EventListener the server starts at the same moment. So each attempt has
    /// <see cref="StartTimeout"/>, a second attempt follows a first that timed out, and then the caller goes on without.
    /// </summary>
    public static async Task<EventPipeSampler> StartAsync(int pid, int intervalMs, string path, string? eventsPath, CancellationToken ct)
    {
        var interval = (intervalMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        var arguments = new Dictionary<string, string> { ["EventCounterIntervalSec"] = interval };
        List<EventPipeProvider> providers = [.. s_providers.Select(p => new EventPipeProvider(p, EventLevel.Informational, 0, arguments))];
        if (eventsPath is not null) providers.Add(new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, EventPipePoolEvents.Keywords));
        for (var attempt = 1; ; attempt++)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(StartTimeout);
            try
            {
                var session = await new DiagnosticsClient(pid).StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 256, bound.Token);
                var sampler = new EventPipeSampler(pid, session, path, eventsPath);
                sampler._reader.Start();
                return sampler;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (attempt < 2) continue;
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"the diagnostics port of process {pid} did not answer the EventPipe start within {StartTimeout.TotalSeconds:0} s, twice"));
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or IOException or UnauthorizedAccessException or TimeoutException or ServerErrorException)
            {
                throw new InvalidOperationException(
                    $"cannot read the diagnostics port of process {pid} ({ex.Message}): it must be a .NET process of this user, with diagnostics enabled (DOTNET_EnableDiagnostics not 0)", ex);
            }
        }
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += OnEvent;
            _events?.Subscribe(source);
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or EndOfStreamException)
        {
            Failure = ex.Message;
        }
        finally
        {
            lock (_lock) Flush();
        }
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer
            || outer.TryGetValue("Payload", out var inner) is false || inner is not IDictionary<string, object> payload
            || payload.TryGetValue("Name", out var n) is false || n is not string name)
        {
            return;
        }

        // Gauges carry a Mean, rate counters an Increment over the interval.
        var value = payload.TryGetValue("Increment", out var inc) ? Convert.ToDouble(inc, CultureInfo.InvariantCulture)
            : payload.TryGetValue("Mean", out var mean) ? Convert.ToDouble(mean, CultureInfo.InvariantCulture)
            : double.NaN;
        lock (_lock)
        {
            // One sample per tick: a counter seen again means the next tick began.
            if (_pending.ContainsKey(name)) Flush();
            if (_pending.Count == 0) _pendingTime = e.TimeStamp;
            _pending[name] = value;
        }
    }

    private void Flush()
    {
        if (_pending.Count == 0 || !_pending.ContainsKey("threadpool-thread-count")) return;
        double Get(string name) => _pending.TryGetValue(name, out var v) && double.IsFinite(v) ? v : 0;
        _completedItems += Get("threadpool-completed-items-count");
        var proc = ProcStatus.Read(_pid);
        var sample = new ServerSample
        {
            Seq = Interlocked.Increment(ref _seq),
            UnixMs = new DateTimeOffset(_pendingTime.ToUniversalTime()).ToUnixTimeMilliseconds(),
            MonoMs = Math.Round(_clock.Elapsed.TotalMilliseconds, 3),
            ThreadPoolThreadCount = (int)Get("threadpool-thread-count"),
            ThreadPoolQueueLength = (long)Get("threadpool-queue-length"),
            ThreadPoolCompletedWorkItems = (long)_completedItems,
            ProcessThreadCount = proc?.Threads ?? 0,
            WorkingSetBytes = proc?.ResidentBytes ?? (long)(Get("working-set") * 1024 * 1024),
            VirtualBytes = proc?.VirtualBytes ?? 0,
            PrivateBytes = proc?.PrivateBytes ?? 0,
            GcHeapBytes = (long)(Get("gc-heap-size") * 1024 * 1024),
            CpuTimeS = proc?.CpuTimeS ?? 0,
            ActiveRequests = (long)Get("current-requests"),
            BackendOpenConnections = (long)(Get("http11-connections-current-total") + Get("http20-connections-current-total") + Get("http30-connections-current-total")),
        };
        _pending.Clear();
        Latest = sample;
        _output.WriteLine(JsonSerializer.Serialize(sample, ContractsJson.Default.ServerSample));
        _output.Flush();
    }

    /// <summary>Stops the session and waits for the reader to write what it has.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or ServerErrorException or ObjectDisposedException)
        {
            // The process is gone: the stream ends by itself.
        }

        _reader.Join(TimeSpan.FromSeconds(10));
        _session.Dispose();
        lock (_lock) _output.Dispose();
        _events?.Dispose();
    }
}
