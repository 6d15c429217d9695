using BenchmarkDotNet.Attributes;

namespace Lab.Bench.Benchmarks;

/// <summary>
/// What the thread pool saves: creating, starting and joining a dedicated OS thread for one small piece of
/// work, against queueing the same work to the pool and waiting for it. The thread-per-request model the
/// old documents describe pays the first on every request (and C4's stack reservation besides).
/// </summary>
// Its Completed Work Items column comes from the ThreadingDiagnoser LabBenchConfig adds to every class (BenchmarkDotNet
// 0.15.8 runs it on .NET 10): the pool hop of QueueWorkItem and TaskRun made visible, and none for NewThread.
[MemoryDiagnoser]
public class ThreadVersusPoolBenchmarks
{
    private static readonly ThreadStart s_work = static () => CpuWorkload.Run(100);
    private readonly ManualResetEventSlim _done = new(false);

    [Benchmark(Baseline = true)]
    public void NewThread()
    {
        var thread = new Thread(s_work);
        thread.Start();
        thread.Join();
    }

    [Benchmark]
    public void QueueWorkItem()
    {
        _done.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(static done =>
        {
            CpuWorkload.Run(100);
            done.Set();
        }, _done, preferLocal: false);
        _done.Wait();
    }

    [Benchmark]
    public void TaskRun() => Task.Run(s_work.Invoke).Wait();

    [GlobalCleanup]
    public void Cleanup() => _done.Dispose();
}
