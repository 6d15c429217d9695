namespace Lab.Client.Load;

/// <summary>What happened in one second of a variant's load: arrivals by intended time, outcomes by end time.</summary>
public sealed class SecondStats
{
    public long Scheduled { get; set; }
    public long Sent { get; set; }
    public long Dropped { get; set; }
    public long Completed { get; set; }
    public long Ok { get; set; }
    public long Rejected503 { get; set; }
    public long Errors { get; set; }
    public long Timeouts { get; set; }
    public List<double> LatenciesMs { get; } = [];
    public List<double> LagsMs { get; } = [];

    public static double Percentile(List<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        // Nearest rank: the smallest value with at least p of the values at or below it.
        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
