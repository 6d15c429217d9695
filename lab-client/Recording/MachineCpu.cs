using System.Globalization;

namespace Lab.Client.Recording;

/// <summary>
/// The machine's CPU time from the first line of /proc/stat (all CPUs, in clock ticks): how busy every core was
/// between two readings, and how much of the time the hypervisor gave the virtual CPUs to someone else (steal). A
/// dispatcher that is late while the client itself is idle and the VM's steal is high was held up by the host, not by
/// the lab: on the project's VM one client-bench sitting had dispatch lag p99 of 6–35 ms at every rate from 500/s,
/// and a sitting minutes later 0.2–0.6 ms with nothing changed, which is why each row and second now carries it.
/// </summary>
public readonly record struct MachineCpu(long Busy, long Steal, long Total)
{
    /// <summary>Now, or null where /proc/stat cannot be read (not Linux).</summary>
    public static MachineCpu? Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return Parse(reader.ReadLine() ?? "");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"cpu  user nice system idle iowait irq softirq steal …": idle and iowait are not busy; steal is its own.</summary>
    public static MachineCpu? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 9 || f[0] != "cpu") return null;
        var v = new long[8];
        for (var i = 0; i < 8; i++)
        {
            if (!long.TryParse(f[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out v[i])) return null;
        }

        var (user, nice, system, idle, iowait, irq, softirq, steal) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        return new MachineCpu(user + nice + system + irq + softirq, steal, user + nice + system + idle + iowait + irq + softirq + steal);
    }

    /// <summary>Busy and steal between <paramref name="earlier"/> and this reading, in % of all CPUs' time (NaN when no time passed).</summary>
    public (double BusyPct, double StealPct) Since(MachineCpu earlier)
    {
        var total = Total - earlier.Total;
        return total <= 0 ? (double.NaN, double.NaN) : (100.0 * (Busy - earlier.Busy) / total, 100.0 * (Steal - earlier.Steal) / total);
    }
}
