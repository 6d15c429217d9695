using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// Once a second, on a dedicated thread: writes the client's own metrics line, reads the server's
/// newest sample, and reports progress for the last complete second.
/// </summary>
public sealed class VariantTicker : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    public VariantTicker(Scenario scenario, int index, LoadEngine engine, VariantStats stats, ClientMetricsWriter metrics, IProgressSink progress, string samplesPath, SamplePuller? puller)
    {
        var variant = scenario.Variants[index];
        var tail = new SampleTail(samplesPath);
        var starts = variant.Load.PhaseStartsS;
        _thread = new Thread(() =>
        {
            var lastSecond = -1;
            long lastScheduled = 0, lastSent = 0, lastDropped = 0;
            while (!_stop.Wait(250))
            {
                var second = (int)engine.ElapsedS - 1;
                if (second <= lastSecond) continue;
                lastSecond = second;
                if (puller is not null) _ = puller.PullAsync(CancellationToken.None);
                else tail.Poll();
                var latest = puller?.Latest ?? tail.Latest;
                // Arrivals and sends from the engine's own counters (they happen now); outcomes from the
                // records of requests that ended in the last complete second.
                var s = stats.Second(second);
                var (scheduled, sent, dropped) = (engine.Scheduled, engine.Sent, engine.Dropped);
                var (offered, sentNow, droppedNow) = (scheduled - lastScheduled, sent - lastSent, dropped - lastDropped);
                (lastScheduled, lastSent, lastDropped) = (scheduled, sent, dropped);
                var lags = engine.TakeRecentLags();
                var lagP99 = SecondStats.Percentile(lags, 0.99);
                metrics.Write(variant.Name, second, offered, sentNow, droppedNow, s.Completed, engine.InFlight,
                    lagP99, lags.Count == 0 ? double.NaN : lags.Max());
                var phase = Array.FindLastIndex(starts.ToArray(), t => t <= second);
                progress.Report(new ProgressSnapshot(
                    scenario.Name, variant.Name, index, scenario.Variants.Count, engine.ElapsedS, variant.Load.DurationS,
                    second < variant.Load.DurationS && phase >= 0 ? variant.Load.Phases[phase].Label : "drain (waiting for answers)",
                    offered, s.Completed, engine.InFlight, s.Ok, s.Rejected503, s.Errors, s.Timeouts, droppedNow,
                    SecondStats.Percentile(s.LatenciesMs, 0.99), latest?.ThreadPoolThreadCount, latest?.ThreadPoolQueueLength, lagP99));
            }
        })
        { IsBackground = true, Name = "lab-ticker" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
