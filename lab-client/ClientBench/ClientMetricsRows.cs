using System.Globalization;
using Lab.Client.Recording;

namespace Lab.Client.ClientBench;

/// <summary>The client's own per-second lines (client-metrics.csv), read by the column names of <see cref="ClientMetricsWriter.Header"/>.</summary>
public static class ClientMetricsRows
{
    public sealed record Second(int Index, long Completed, double CpuPctOfOneCore);

    public static IReadOnlyList<Second> Read(string path)
    {
        var columns = ClientMetricsWriter.Header.Split(',');
        int At(string name) => Array.IndexOf(columns, name);
        var (second, completed, cpu) = (At("second"), At("completed"), At("cpu_pct_of_one_core"));
        var lines = File.ReadLines(path).ToList();
        if (lines.Count == 0 || lines[0] != ClientMetricsWriter.Header) throw new InvalidDataException($"{path}: not a client-metrics.csv of this client (header differs).");
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(f => new Second(
            int.Parse(f[second], CultureInfo.InvariantCulture),
            long.Parse(f[completed], CultureInfo.InvariantCulture),
            double.Parse(f[cpu], CultureInfo.InvariantCulture)))];
    }

    /// <summary>
    /// Answers per second and CPU ms per 1,000 answers over the steady seconds of a load of <paramref name="durationS"/>:
    /// from the second second to the second-to-last (the first holds the start, the last the end of the schedule).
    /// </summary>
    public static (double AchievedPerS, double CpuMsPer1k) Steady(IReadOnlyList<Second> seconds, double durationS)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var steady = seconds.Where(s => s.Index >= 1 && s.Index <= durationS - 2).ToList();
        if (steady.Count == 0) return (double.NaN, double.NaN);
        var completed = steady.Sum(s => s.Completed);
        var cpuMs = steady.Sum(s => s.CpuPctOfOneCore * 10); // % of one core over one second = 10 ms per percent
        return ((double)completed / steady.Count, completed == 0 ? double.NaN : cpuMs / completed * 1000);
    }
}
