using System.Globalization;
using System.Runtime.InteropServices;
using Lab.Client.Recording;

namespace Lab.Client.ClientBench;

/// <summary>What the benchmark reads from the host: load average, the CPU of finished child processes, the CPU model.</summary>
public static partial class HostProbe
{
    private const int RusageChildren = -1;

    /// <summary>The 1-minute load average (NaN where /proc/loadavg does not exist).</summary>
    public static double LoadAverage1m()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// User + system CPU of every child process that has ended and been waited for (getrusage RUSAGE_CHILDREN), so the
    /// difference around one tool's run is that tool's whole CPU — exact, even though its /proc entry is gone.
    /// </summary>
    public static TimeSpan FinishedChildrenCpu()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        var usage = new RUsage();
        if (GetRUsage(RusageChildren, ref usage) != 0) return TimeSpan.Zero;
        long Us(long s, long us) => s * 1_000_000 + us;
        return TimeSpan.FromMicroseconds(Us(usage.UserSeconds, usage.UserMicroseconds) + Us(usage.SystemSeconds, usage.SystemMicroseconds));
    }

    /// <summary>The hypervisor's steal since <paramref name="before"/>, % of all CPUs' time; null where /proc/stat cannot be read.</summary>
    public static double? StealSince(MachineCpu? before) =>
        before is { } b && MachineCpu.Read() is { } now && now.Since(b).StealPct is var s && double.IsFinite(s) ? Math.Round(s, 1) : null;

    /// <summary>The CPU model from /proc/cpuinfo, or the architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the architecture below.
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private readonly long _maxRss, _ixRss, _idRss, _isRss, _minFlt, _majFlt, _nSwap, _inBlock, _ouBlock, _msgSnd, _msgRcv, _nSignals, _nvCsw, _nivCsw;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, ref RUsage usage);
}
