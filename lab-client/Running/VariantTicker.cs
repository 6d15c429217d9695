using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// Once a second, on a dedicated thread: writes the client's own metrics line, reads the server's newest
/// sample, and reports progress for every second that completed since the last tick — a tick that comes late
/// reports each second it missed, so no second's answers go unreported.
/// </summary>
public sealed class VariantTicker : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    public VariantTicker(Scenario scenario, int index, int repetition, LoadEngine engine, VariantStats stats, ClientMetricsWriter metrics, IProgressSink progress, string samplesPath, SamplePuller? puller)
    {
        var variant = scenario.Variants[index];
        var label = repetition > 1 ? $"{variant.Name} #{repetition}" : variant.Name;
        var tail = new SampleTail(samplesPath);
        var starts = variant.Load.PhaseStartsS;
        _thread = new Thread(() =>
        {
            var lastSecond = -1;
            while (!_stop.Wait(250))
            {
                var complete = (int)engine.ElapsedS - 1;
                if (complete <= lastSecond) continue;
                if (puller is not null) _ = puller.PullAsync(CancellationToken.None);
                else tail.Poll();
                var latest = puller?.Latest ?? tail.Latest;
                for (var second = lastSecond + 1; second <= complete; second++)
                {
                    // Arrivals, sends, drops and dispatch lag from the engine, kept as they happened, so every second has
                    // them at once — a tick that comes late reports each second it missed from the same source. (The
                    // records of a second's requests arrive only when they end.) Outcomes and latency from the records
                    // of requests that ended in the second.
                    var s = stats.Second(second);
                    var d = engine.Seconds.Read(second) ?? new DispatchSecond(s.Scheduled, s.Sent, s.Dropped, double.NaN, double.NaN);
                    metrics.Write(label, second, d.Arrivals, d.Sent, d.Dropped, s.Completed, engine.InFlight, d.LagP99Ms, d.LagMaxMs);
                    var phase = Array.FindLastIndex(starts.ToArray(), t => t <= second);
                    progress.Report(new ProgressSnapshot(
                        scenario.Name, label, index, scenario.Variants.Count, second + 1, variant.Load.DurationS,
                        second < variant.Load.DurationS && phase >= 0 ? variant.Load.Phases[phase].Label : "drain (waiting for answers)",
                        d.Arrivals, s.Ok, s.Completed, engine.InFlight, s.Ok, s.Rejected503, s.Errors, s.Timeouts, d.Dropped,
                        s.LatencyP99Ms, latest?.ThreadPoolThreadCount, latest?.ThreadPoolQueueLength, d.LagP99Ms));
                }

                lastSecond = complete;
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
