using System.Collections.Concurrent;

namespace Lab.Client.Load;

/// <summary>
/// Takes every request record from the engine and writes it to <c>requests.csv</c> on a dedicated
/// thread (never the thread pool), flushing every 50 ms, so an interrupted run keeps all but the
/// last instant of its data. Every send is also journaled to <c>inflight.csv</c>: if the client is
/// killed, the requests it had in flight are still on record (as aborted) instead of lost. A run that
/// ends in any other way records them itself, and <see cref="Complete"/> removes the journal.
/// Also feeds each variant run's <see cref="VariantStats"/>.
/// </summary>
public sealed class RequestRecorder : IDisposable
{
    private readonly ConcurrentQueue<RequestRecord> _queue = new();
    private readonly ConcurrentQueue<InFlightEntry> _sent = new();
    private readonly CsvLine _line = new();
    private readonly ConcurrentQueue<(string Variant, int Repetition, long Seq, List<ServerTiming> Timings)> _timings = new();
    private readonly string _timingsPath;
    private StreamWriter? _timingsCsv;
    private readonly ConcurrentDictionary<(string, int), VariantStats> _stats = new();
    private readonly StreamWriter _csv;
    private readonly StreamWriter _journal;
    private readonly string _journalPath;
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Lock _drainLock = new();
    private int _disposed;

    public RequestRecorder(string csvPath)
    {
        var fresh = !File.Exists(csvPath) || new FileInfo(csvPath).Length == 0;
        _csv = new StreamWriter(new FileStream(csvPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
        if (fresh) _csv.WriteLine(RequestRecord.CsvHeader);
        _journalPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, Analysis.RequestLog.InFlightFileName);
        _timingsPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, Analysis.RequestLog.ServerTimingFileName);
        var freshJournal = !File.Exists(_journalPath) || new FileInfo(_journalPath).Length == 0;
        _journal = new StreamWriter(new FileStream(_journalPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = false };
        if (freshJournal) _journal.WriteLine(Analysis.RequestLog.InFlightHeader);
        _writer = new Thread(Run) { IsBackground = true, Name = "lab-recorder" };
        _writer.Start();
    }

    public long Written { get; private set; }

    public void Record(RequestRecord record) => _queue.Enqueue(record);

    /// <summary>The <c>Server-Timing</c> metrics of a request's response, written to server-timing.csv (created on first use).</summary>
    public void Timings(string variant, int repetition, long seq, List<ServerTiming> timings) => _timings.Enqueue((variant, repetition, seq, timings));

    /// <summary>A request was sent: journal it until its record arrives.</summary>
    public void Sent(in InFlightEntry entry) => _sent.Enqueue(entry);

    public VariantStats StatsFor(string variant, int repetition = 1) => _stats.GetOrAdd((variant, repetition), _ => new VariantStats());

    /// <summary>The run ended with every request recorded (answered, failed or aborted): the journal is no longer needed.</summary>
    public void Complete()
    {
        Drain();
        lock (_drainLock)
        {
            _journal.Flush();
            File.Delete(_journalPath);
        }
    }

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Set();
        _writer.Join();
        Drain();
        _csv.Dispose();
        _journal.Dispose();
        _timingsCsv?.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(50))
        {
            Drain();
        }
    }

    /// <summary>Writes and counts everything recorded so far, now.</summary>
    public void Flush() => Drain();

    private void Drain()
    {
        lock (_drainLock) DrainLocked();
    }

    private void DrainLocked()
    {
        // Sends before records: a request's journal line never comes after its final record.
        var sent = false;
        while (_sent.TryDequeue(out var s))
        {
            _journal.WriteLine(s.AppendCsv(_line.Clear()).Text);
            sent = true;
        }

        if (sent) _journal.Flush();
        var any = false;
        while (_queue.TryDequeue(out var r))
        {
            _csv.WriteLine(r.AppendCsv(_line.Clear()).Text);
            StatsFor(r.Variant, r.Repetition).Add(r);
            Written++;
            any = true;
        }

        if (any) _csv.Flush();
        var timed = false;
        while (_timings.TryDequeue(out var t))
        {
            if (_timingsCsv is null)
            {
                var fresh = !File.Exists(_timingsPath) || new FileInfo(_timingsPath).Length == 0;
                _timingsCsv = new StreamWriter(new FileStream(_timingsPath, FileMode.Append, FileAccess.Write, FileShare.Read));
                if (fresh) _timingsCsv.WriteLine(Analysis.RequestLog.ServerTimingHeader);
            }

            foreach (var (name, dur) in t.Timings)
            {
                _timingsCsv.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Variant},{t.Repetition},{t.Seq},{name},{dur:0.###}"));
            }

            timed = true;
        }

        if (timed) _timingsCsv!.Flush();
    }
}
