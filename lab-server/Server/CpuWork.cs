using System.Diagnostics;

namespace Lab.Server.Server;

/// <summary>
/// A fixed amount of CPU work, calibrated at start-up so <c>workMs</c> means "this many milliseconds
/// on one idle core". Fixed work (not "spin until the clock says so") keeps the C9 comparison honest:
/// under contention the request takes longer, exactly as real CPU-bound work would.
/// </summary>
public sealed class CpuWork
{
    private const int UnitIterations = 1_000;

    public CpuWork()
    {
        // Best of five short runs: the least-disturbed estimate of one core's speed.
        double best = 0;
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            long units = 0;
            while (sw.Elapsed.TotalMilliseconds < 10)
            {
                Units(64, CancellationToken.None);
                units += 64;
            }

            best = Math.Max(best, units / sw.Elapsed.TotalMilliseconds);
        }

        UnitsPerMs = best;
    }

    public double UnitsPerMs { get; }

    /// <summary>Runs about <paramref name="workMs"/> ms of CPU work on the calling thread; returns a checksum.</summary>
    public ulong Run(int workMs, CancellationToken ct) => Units((long)(workMs * UnitsPerMs), ct);

    private static ulong Units(long units, CancellationToken ct)
    {
        ulong x = 88172645463325252UL;
        for (long u = 0; u < units; u++)
        {
            if ((u & 255) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            for (var i = 0; i < UnitIterations; i++)
            {
                // xorshift64: cheap, branch-free, impossible for the JIT to fold away.
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }
        }

        return x;
    }
}
