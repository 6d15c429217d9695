using System.Globalization;

namespace Lab.Server.Server.Probes;

/// <summary>
/// Collects a probe's measurements and writes them as the standard <c>Server-Timing</c> response header
/// (<c>begin;dur=0.84, complete;dur=1503.2, setupOnCaller;dur=0</c>), the form the load client records per
/// request. Names come only from <see cref="ProbeMetrics"/>; each name once, in the order measured.
/// </summary>
public sealed class ServerTiming
{
    public const string HeaderName = "Server-Timing";

    private readonly List<ServerTimingEntry> _entries = [];

    public IReadOnlyList<ServerTimingEntry> Entries => _entries;

    public void Ms(ProbeMetric metric, double ms)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (metric.IsYesNo)
        {
            throw new ArgumentException($"{metric.Name} is a yes/no fact, not a duration.", nameof(metric));
        }

        Set(metric.Name, Math.Round(Math.Max(0, ms), 2));
    }

    public void YesNo(ProbeMetric metric, bool yes)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!metric.IsYesNo)
        {
            throw new ArgumentException($"{metric.Name} is a duration, not a yes/no fact.", nameof(metric));
        }

        Set(metric.Name, yes ? 1 : 0);
    }

    /// <summary>The header's value for <paramref name="entries"/>: <c>name;dur=ms</c>, comma-separated, invariant culture.</summary>
    public static string Format(IEnumerable<ServerTimingEntry> entries) =>
        string.Join(", ", entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Name};dur={e.Dur:0.##}")));

    private void Set(string name, double dur)
    {
        var i = _entries.FindIndex(e => e.Name == name);
        if (i >= 0)
        {
            _entries[i] = new ServerTimingEntry(name, dur);
        }
        else
        {
            _entries.Add(new ServerTimingEntry(name, dur));
        }
    }
}
