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

    /// <summary>The units that take about <paramref name="workMs"/> ms on this process's calibration.</summary>
    public long UnitsFor(int workMs) => (long)(workMs * UnitsPerMs);

    /// <summary>
    /// Runs <paramref name="units"/> of CPU work (1,000 xorshift rounds each) on the calling thread; returns a
    /// checksum. Fixed units are the same work in every process; <c>workMs</c> goes through this process's
    /// calibration, which varied by up to 27 % between fresh processes on this machine (481–614 units/ms).
    /// </summary>
    public static ulong RunUnits(long units, CancellationToken ct)
    {
        var checksum = Units(units, ct);
        // Stored where other threads could read it: the work can never be dead code.
        Volatile.Write(ref s_sink, checksum);
        return checksum;
    }

    private static ulong s_sink;

    // Compiled once, fully optimized, never inlined, and its result always stored. Measured before: in a C9
    // run the sync server's requests went from ~18 ms to ~3 ms of CPU at t = 4 s while the async server's
    // never did. The endpoints discarded the checksum, so once the JIT re-compiled the caller at tier 1 and
    // inlined this loop, it could drop the xorshift work as dead code: the comparison measured the JIT.
    [System.Runtime.CompilerServices.MethodImpl(
        System.Runtime.CompilerServices.MethodImplOptions.NoInlining | System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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
