using System.Globalization;

namespace Lab.Testing;

/// <summary>
/// What the kernel says about another process, read from <c>/proc/&lt;pid&gt;</c> (Linux): resident memory,
/// its peak, and CPU time. Tests measure the lab's processes from outside, so a starved process cannot
/// delay its own measurement.
/// </summary>
public static class ProcessProbe
{
    /// <summary>VmRSS: resident memory now, in bytes.</summary>
    public static long ResidentBytes(int processId) => StatusKb(processId, "VmRSS:") * 1024;

    /// <summary>VmHWM: the most resident memory the process has had, in bytes.</summary>
    public static long PeakResidentBytes(int processId) => StatusKb(processId, "VmHWM:") * 1024;

    /// <summary>User plus system CPU time so far, in clock ticks (fields 14 and 15 of /proc/&lt;pid&gt;/stat).</summary>
    public static long CpuTicks(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) may hold spaces and parentheses: the fields after it start after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until the process has used no CPU for <paramref name="quietMs"/> (it has done all it can and is
    /// waiting), or <paramref name="deadline"/> passes; returns whether it went quiet.
    /// </summary>
    public static Task<bool> WaitUntilIdleAsync(int processId, TimeSpan deadline, int quietMs = 1_000) =>
        Eventually.TrueAsync(async () =>
        {
            var before = CpuTicks(processId);
            await Task.Delay(quietMs);
            // One tick (10 ms) of slack: the runtime's own timers and the sampler thread wake now and then.
            return CpuTicks(processId) - before <= 1;
        }, deadline, pollMs: 0);

    private static long StatusKb(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no {field} line.");
    }
}
