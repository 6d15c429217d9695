using System.Globalization;
using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// Once a second, on a dedicated thread: writes the client's own metrics line, reads the server's newest
/// sample, and reports progress for every second that completed since the last tick — a tick that comes late
/// reports each second it missed, so no second's answers go unreported (<see cref="ProgressSeconds"/>).
/// </summary>
public sealed class VariantTicker : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    public VariantTicker(Scenario scenario, int index, int repetition, LoadEngine engine, VariantStats stats, ClientMetricsWriter metrics, IProgressSink progress, string samplesPath, SamplePuller? puller)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var tail = new SampleTail(samplesPath);
        var seconds = new ProgressSeconds(scenario, index, repetition, () => engine.ElapsedS, engine.Seconds, () => engine.InFlight, stats, metrics, progress, () =>
        {
            if (puller is not null) _ = puller.PullAsync(CancellationToken.None);
            else tail.Poll();
            return puller?.Latest ?? tail.Latest;
        });

        // The client runs without tiered compilation: the first tick would compile this path while the load's first
        // second runs, on a core the dispatcher and the server need. Compile it now, before t0, reporting nothing.
        _ = PlainProgress.Format(seconds.Second(0, null).Snapshot);
        _thread = new Thread(() =>
        {
            while (!_stop.Wait(250)) seconds.Tick();
        })
        { IsBackground = true, Name = "lab-ticker" };
        _thread.Start();
    }

    /// <summary>Why a second shows the client falling behind (drops at the in-flight cap, or lag p99 over the threshold on ≥ 1,000 sends), or null.</summary>
    internal static string? LimitedIn(DispatchSecond d, double thresholdMs) =>
        d.Dropped > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.Dropped} arrivals dropped at the in-flight cap")
        : d.Sent >= 1_000 && d.LagP99Ms > thresholdMs ? string.Create(CultureInfo.InvariantCulture, $"dispatch lag p99 {d.LagP99Ms:0.###} ms over {d.Sent} sends, above {thresholdMs:0.###} ms")
        : null;

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
