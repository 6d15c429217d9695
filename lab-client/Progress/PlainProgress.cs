using System.Globalization;

namespace Lab.Client.Progress;

/// <summary>For CI and pipes: one plain line every few seconds, nothing that needs a terminal.</summary>
public sealed class PlainProgress(TextWriter output, double everyS = 2) : IProgressSink
{
    private double _lastS = double.NegativeInfinity;
    private string _lastVariant = "";

    public Task RunAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work();
    }

    public void Report(ProgressSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Variant == _lastVariant && s.ElapsedS - _lastS < everyS) return;
        (_lastVariant, _lastS) = (s.Variant, s.ElapsedS);
        output.WriteLine(Format(s));
        output.Flush();
    }

    public void Message(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }

    public static string Format(ProgressSnapshot s) => string.Create(CultureInfo.InvariantCulture,
        $"[{s.Variant} {s.ElapsedS,5:0}/{s.TotalS:0} s {s.Phase}] offered {s.OfferedPerS}/s achieved {s.AchievedPerS}/s in-flight {s.InFlight} | " +
        $"2xx {s.Ok} 503 {s.Rejected503} err {s.Errors} timeout {s.Timeouts} dropped {s.Dropped} | p99 {Ms(s.P99Ms)} | " +
        $"server pool {s.ServerThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"} threads, queue {s.ServerQueue?.ToString(CultureInfo.InvariantCulture) ?? "?"} | lag p99 {Ms(s.LagP99Ms)}");

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms >= 1000 ? $"{ms / 1000:0.00} s" : $"{ms:0.0} ms";
}
