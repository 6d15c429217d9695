using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Lab.Bench.Benchmarks;

/// <summary>
/// What an <c>await</c> costs: on a task that has already completed (the state machine runs straight
/// through) versus one that is still pending (the method suspends, its state moves to the heap, and the
/// continuation is queued to the thread pool), for <c>Task&lt;int&gt;</c>, <c>ValueTask&lt;int&gt;</c> and a
/// pooled <c>ValueTask&lt;int&gt;</c>. The value 1,000 is outside the runtime's cache of small completed tasks.
/// The awaiting methods return <c>ValueTask&lt;int&gt;</c> so that, when they complete synchronously, the
/// allocations shown are the awaited method's alone; when the awaited task is pending, the awaiting method
/// suspends too, and its own state box is part of the price.
/// </summary>
[MemoryDiagnoser]
public class AwaitBenchmarks
{
    private static readonly int s_value = 1_000;

    [Benchmark(Baseline = true)]
    public int Synchronous() => Compute();

    [Benchmark]
    public async ValueTask<int> AwaitCompletedTask() => await CompletedTaskAsync().ConfigureAwait(false);

    [Benchmark]
    public async ValueTask<int> AwaitCompletedValueTask() => await CompletedValueTaskAsync().ConfigureAwait(false);

    [Benchmark]
    public async ValueTask<int> AwaitPendingTask() => await PendingTaskAsync().ConfigureAwait(false);

    [Benchmark]
    public async ValueTask<int> AwaitPendingValueTask() => await PendingValueTaskAsync().ConfigureAwait(false);

    [Benchmark]
    public async ValueTask<int> AwaitPendingPooledValueTask() => await PendingPooledValueTaskAsync().ConfigureAwait(false);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Compute() => s_value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> CompletedTaskAsync()
    {
        if (s_value < 0)
        {
            await Task.Yield();
        }

        return Compute();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async ValueTask<int> CompletedValueTaskAsync()
    {
        if (s_value < 0)
        {
            await Task.Yield();
        }

        return Compute();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> PendingTaskAsync()
    {
        await Task.Yield();
        return Compute();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async ValueTask<int> PendingValueTaskAsync()
    {
        await Task.Yield();
        return Compute();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> PendingPooledValueTaskAsync()
    {
        await Task.Yield();
        return Compute();
    }
}
