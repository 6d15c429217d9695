namespace Lab.Bench.Benchmarks;

/// <summary>
/// The CPU-bound work of the C9 endpoints (<c>/cpu/sync</c>, <c>/cpu/async</c>): xorshift64 rounds, cheap,
/// branch-free and impossible for the JIT to fold away. A round is about a nanosecond.
/// </summary>
public static class CpuWorkload
{
    public static ulong Run(int rounds)
    {
        ulong x = 88172645463325252UL;
        for (var i = 0; i < rounds; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }
}
