using System.Diagnostics;
using System.Globalization;

namespace Lab.Server.Telemetry;

/// <summary>Memory and thread figures of this process, as the kernel reports them.</summary>
public readonly record struct ProcessMemory(long ResidentBytes, long VirtualBytes, long PrivateBytes, int OsThreads)
{
    private const string StatusPath = "/proc/self/status";

    /// <summary>
    /// On Linux reads /proc/self/status directly (one small file read, no thread pool, no
    /// /proc/self/task enumeration like Process.Threads). Elsewhere falls back to Process.
    /// </summary>
    public static ProcessMemory Read()
    {
        if (OperatingSystem.IsLinux() && File.Exists(StatusPath))
        {
            long rss = 0, size = 0, data = 0;
            var threads = 0;
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("VmSize:", StringComparison.Ordinal)) size = Kb(line);
                else if (line.StartsWith("VmData:", StringComparison.Ordinal)) data = Kb(line);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Number(line);
            }

            return new ProcessMemory(rss, size, data, threads);
        }

        using var p = Process.GetCurrentProcess();
        return new ProcessMemory(p.WorkingSet64, p.VirtualMemorySize64, p.PrivateMemorySize64, p.Threads.Count);
    }

    private static long Kb(string line) => Number(line) * 1024;

    private static long Number(string line)
    {
        var span = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var end = span.IndexOf(' ');
        if (end >= 0) span = span[..end];
        return long.Parse(span, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
