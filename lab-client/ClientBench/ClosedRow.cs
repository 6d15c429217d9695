namespace Lab.Client.ClientBench;

/// <summary>
/// A closed-model run with a fresh server pair: latency p99 (from the intended time, answered requests) of the
/// requests intended in the first second against the rest of the run, to see whether the start looks like the rest.
/// </summary>
public sealed record ClosedRow(
    string Setup,
    int Users,
    string Endpoint,
    double DurationS,
    long FirstSecondCount,
    double FirstSecondP99Ms,
    long RestCount,
    double RestP99Ms,
    double RestP50Ms,
    double LoadAverage1m,
    string Command)
{
    /// <summary>First-second p99 over the rest's: 1 means the start is like the rest.</summary>
    public double Ratio => RestP99Ms > 0 ? FirstSecondP99Ms / RestP99Ms : double.NaN;
}
