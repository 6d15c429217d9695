using BenchmarkDotNet.Attributes;

namespace Lab.Bench.Benchmarks;

/// <summary>
/// The bridge with no I/O wait to hide it: a 64-byte read from a MemoryStream called directly, awaited
/// (<c>ReadAsync</c> completes at once), and bridged from Begin/EndRead with <c>Task.Factory.FromAsync</c>.
/// MemoryStream does not override Begin/EndRead, so <c>Stream</c>'s default runs: it queues the synchronous
/// read to the thread pool. A legacy APM API that only wraps synchronous work costs a pool hop per call.
/// </summary>
[MemoryDiagnoser]
public class ApmCompletedBenchmarks
{
    private readonly MemoryStream _stream = new(new byte[64]);
    private readonly byte[] _buffer = new byte[64];

    [Benchmark(Baseline = true)]
    public int Read()
    {
        _stream.Position = 0;
        return _stream.Read(_buffer, 0, _buffer.Length);
    }

    [Benchmark]
    public async Task<int> ReadAsync()
    {
        _stream.Position = 0;
        return await _stream.ReadAsync(_buffer.AsMemory()).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task<int> FromAsync()
    {
        _stream.Position = 0;
        return await Task<int>.Factory.FromAsync(_stream.BeginRead, _stream.EndRead, _buffer, 0, _buffer.Length, null).ConfigureAwait(false);
    }

    [GlobalCleanup]
    public void Cleanup() => _stream.Dispose();
}
