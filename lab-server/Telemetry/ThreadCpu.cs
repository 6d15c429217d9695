using System.Globalization;

namespace Lab.Server.Telemetry;

/// <summary>CPU time of one thread of this process, from <c>/proc/self/task/&lt;tid&gt;/stat</c> (Linux): how the event recorder accounts for its own cost.</summary>
public static class ThreadCpu
{
    /// <summary>Clock ticks per second of utime/stime (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The calling thread's OS id, from the <c>/proc/thread-self</c> link (<c>&lt;pid&gt;/task/&lt;tid&gt;</c>); 0 where there is none.</summary>
    public static int CurrentOsThreadId()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            var target = new FileInfo("/proc/thread-self").LinkTarget;
            return target is not null && int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ? tid : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>User plus system CPU seconds of thread <paramref name="osThreadId"/>; null when unknown (not Linux, thread gone).</summary>
    public static double? Seconds(int osThreadId)
    {
        if (osThreadId <= 0 || !OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{osThreadId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
