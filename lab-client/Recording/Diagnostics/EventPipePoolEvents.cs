using System.Text.Json;
using Lab.Contracts;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// The thread-pool events of a foreign .NET target, read from the same EventPipe session as its counters, written as
/// lab-server's own recorder writes them (<see cref="PoolEvent"/> lines in <c>events-&lt;variant&gt;.jsonl</c>): adjustments
/// with their reason, worker start/stop, and waits of pool workers. Runs on the reader's thread (the client's own);
/// each record is flushed at once, so the file is whole whenever the session ends.
/// </summary>
public sealed class EventPipePoolEvents : IDisposable
{
    /// <summary>The threading keyword, at informational level (like lab-server's default, <c>PoolEvents=on</c>): no wait events.</summary>
    public const long Keywords = 0x10000;

    private readonly StreamWriter _output;
    private readonly DateTime _pairUtc;
    private readonly double _pairMonoMs;
    private readonly HashSet<int> _workers = [];
    private readonly HashSet<int> _waiting = [];
    private long _seq;

    /// <param name="path">The events file.</param>
    /// <param name="monoMsNow">The reader's monotonic clock now, in ms: records' <c>monoMs</c> are on it.</param>
    public EventPipePoolEvents(string path, double monoMsNow)
    {
        _pairUtc = DateTime.UtcNow;
        _pairMonoMs = monoMsNow;
        _output = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
        Write(new PoolEvent { Kind = PoolEventKinds.Start, Format = PoolEventKinds.FormatVersion, Waits = false }, _pairUtc);
    }

    public void Subscribe(TraceEventDispatcher source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clr = source.Clr;
        clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => Write(new PoolEvent
        {
            Kind = PoolEventKinds.Adjustment,
            OsThreadId = e.ThreadID,
            Throughput = Math.Round(e.AverageThroughput, 3),
            ThreadsGoal = e.NewWorkerThreadCount,
            Reason = PoolEventKinds.Reason((long)e.Reason),
        }, e.TimeStamp);
        clr.ThreadPoolWorkerThreadStart += e =>
        {
            _workers.Add(e.ThreadID);
            Write(new PoolEvent { Kind = PoolEventKinds.WorkerStart, OsThreadId = e.ThreadID, ActiveWorkers = e.ActiveWorkerThreadCount }, e.TimeStamp);
        };
        clr.ThreadPoolWorkerThreadStop += e =>
        {
            _workers.Remove(e.ThreadID);
            _waiting.Remove(e.ThreadID);
            Write(new PoolEvent { Kind = PoolEventKinds.WorkerStop, OsThreadId = e.ThreadID, ActiveWorkers = e.ActiveWorkerThreadCount }, e.TimeStamp);
        };
        clr.ThreadPoolWorkerThreadWait += e => _workers.Add(e.ThreadID);
        clr.ThreadPoolMinMaxThreads += e => Write(new PoolEvent
        {
            Kind = PoolEventKinds.MinMax, OsThreadId = e.ThreadID, MinThreads = e.MinWorkerThreads, MaxThreads = e.MaxWorkerThreads,
        }, e.TimeStamp);
        clr.WaitHandleWaitStart += e =>
        {
            if (!_workers.Contains(e.ThreadID) || !_waiting.Add(e.ThreadID)) return;
            Write(new PoolEvent { Kind = PoolEventKinds.WaitStart, OsThreadId = e.ThreadID, WaitSource = (int)e.WaitSource == 1 ? "monitorWait" : "unknown" }, e.TimeStamp);
        };
        clr.WaitHandleWaitStop += e =>
        {
            if (_waiting.Remove(e.ThreadID)) Write(new PoolEvent { Kind = PoolEventKinds.WaitStop, OsThreadId = e.ThreadID }, e.TimeStamp);
        };
    }

    private void Write(PoolEvent e, DateTime timeStamp)
    {
        var utc = timeStamp.Kind == DateTimeKind.Utc ? timeStamp : timeStamp.ToUniversalTime();
        var record = e with
        {
            Seq = ++_seq,
            UnixMs = Math.Round((utc - DateTime.UnixEpoch).TotalMilliseconds, 3),
            MonoMs = Math.Round(_pairMonoMs + (utc - _pairUtc).TotalMilliseconds, 3),
        };
        _output.WriteLine(JsonSerializer.Serialize(record, ContractsJson.Default.PoolEvent));
        _output.Flush();
    }

    public void Dispose()
    {
        Write(new PoolEvent { Kind = PoolEventKinds.Stop, Count = 0, DispatchThread = "lab-eventpipe (client)" }, DateTime.UtcNow);
        _output.Dispose();
    }
}
