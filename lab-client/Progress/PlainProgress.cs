using System.Globalization;

namespace Lab.Client.Progress;

/// <summary>For CI and pipes: one plain line per second of load, nothing that needs a terminal.</summary>
public sealed class PlainProgress(TextWriter output) : IProgressSink
{
    public Task RunAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work();
    }

    public void Report(ProgressSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        output.WriteLine(Format(s));
        output.Flush();
    }

    public void Message(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    public static string Format(ProgressSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"[{s.Variant} {s.ElapsedS,5:0}/{s.TotalS:0} s {s.Phase}] offered {s.OfferedPerS}/s 2xx {s.GoodputPerS}/s in-flight {s.InFlight} | " +
        $"2xx {s.Ok} 503 {s.Rejected503} err {s.Errors} timeout {s.Timeouts} dropped {s.Dropped} | p99 {Ms(s.P99Ms)} | " +
        $"server pool {s.ServerThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"} threads, queue {s.ServerQueue?.ToString(CultureInfo.InvariantCulture) ?? "?"} | lag p99 {Ms(s.LagP99Ms)}");

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms >= 1000 ? $"{ms / 1000:0.00} s" : $"{ms:0.0} ms";
}
