using System.Collections.Concurrent;

namespace Lab.Client.Load;

/// <summary>
/// Takes every request record from the engine and writes it to <c>requests.csv</c> on a dedicated
/// thread (never the thread pool), flushing every 50 ms, so an interrupted run keeps all but the
/// last instant of its data. Also feeds each variant's <see cref="VariantStats"/>.
/// </summary>
public sealed class RequestRecorder : IDisposable
{
    private readonly ConcurrentQueue<RequestRecord> _queue = new();
    private readonly ConcurrentDictionary<string, VariantStats> _stats = new(StringComparer.Ordinal);
    private readonly StreamWriter _csv;
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Lock _drainLock = new();
    private int _disposed;

    public RequestRecorder(string csvPath)
    {
        var fresh = !File.Exists(csvPath) || new FileInfo(csvPath).Length == 0;
        _csv = new StreamWriter(new FileStream(csvPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
        if (fresh) _csv.WriteLine(RequestRecord.CsvHeader);
        _writer = new Thread(Run) { IsBackground = true, Name = "lab-recorder" };
        _writer.Start();
    }

    public long Written { get; private set; }

    public void Record(RequestRecord record) => _queue.Enqueue(record);

    public VariantStats StatsFor(string variant) => _stats.GetOrAdd(variant, _ => new VariantStats());

    /// <summary>Writes what is queued and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Set();
        _writer.Join();
        Drain();
        _csv.Dispose();
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
        var any = false;
        while (_queue.TryDequeue(out var r))
        {
            _csv.WriteLine(r.ToCsv());
            StatsFor(r.Variant).Add(r);
            Written++;
            any = true;
        }

        if (any) _csv.Flush();
    }
}
