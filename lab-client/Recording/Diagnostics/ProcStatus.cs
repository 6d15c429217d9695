using System.Globalization;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Another process's memory, threads and CPU time as its kernel reports them (/proc/&lt;pid&gt;/status and stat): one
/// small file read each, no thread pool, no cooperation from the process, so a starved process is read as easily as
/// an idle one.
/// </summary>
public readonly record struct ProcStatus(long ResidentBytes, long VirtualBytes, long PrivateBytes, int Threads, double CpuTimeS)
{
    /// <summary>Clock ticks per second of /proc/&lt;pid&gt;/stat's utime and stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcStatus? Read(int pid)
    {
        try
        {
            long rss = 0, size = 0, data = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Number(line) * 1024;
                else if (line.StartsWith("VmSize:", StringComparison.Ordinal)) size = Number(line) * 1024;
                else if (line.StartsWith("VmData:", StringComparison.Ordinal)) data = Number(line) * 1024;
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Number(line);
            }

            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 (utime, stime), counted from the state (field 3) at index 0.
            var cpu = (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            return new ProcStatus(rss, size, data, threads, cpu);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long Number(string line)
    {
        var span = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var end = span.IndexOf(' ');
        if (end >= 0) span = span[..end];
        return long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
