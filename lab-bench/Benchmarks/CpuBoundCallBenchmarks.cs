using BenchmarkDotNet.Attributes;

namespace Lab.Bench.Benchmarks;

/// <summary>
/// C9 ("async gives no benefit and adds overhead for CPU-bound work"), per call: the same CPU work called
/// directly, through an <c>async</c> method that never suspends, and offloaded with <c>Task.Run</c> and
/// awaited (what <c>/cpu/async</c> does). The request-level scenario (c9-cpu-bound) shows whether the
/// difference survives a whole request; this shows what it is.
/// </summary>
[MemoryDiagnoser]
public class CpuBoundCallBenchmarks
{
    /// <summary>xorshift rounds: ~0.1 µs, ~10 µs and ~1 ms of work.</summary>
    [Params(100, 10_000, 1_000_000)]
    public int Rounds { get; set; }

    [Benchmark(Baseline = true)]
    public ulong Direct() => CpuWorkload.Run(Rounds);

    [Benchmark]
    public Task<ulong> AsyncCompletingSynchronously() => ComputeAsync(Rounds);

    [Benchmark]
    public Task<ulong> TaskRun()
    {
        // What /cpu/async hands back to its caller: the Task.Run task, to be awaited.
        var rounds = Rounds;
        return Task.Run(() => CpuWorkload.Run(rounds));
    }

    private static async Task<ulong> ComputeAsync(int rounds)
    {
        // Never true: the await makes this a real async method whose state machine runs to completion
        // without suspending, which is what an "async all the way" CPU method does.
        if (rounds < 0)
        {
            await Task.Yield();
        }

        return CpuWorkload.Run(rounds);
    }
}
