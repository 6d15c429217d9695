using System.Globalization;
using Lab.Client.Analysis;
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
        var starts = variant.Load.PhaseStartsS.ToArray();
        (DispatchSecond Dispatch, SecondStats Records, ProgressSnapshot Snapshot) Second(int second, Lab.Contracts.ServerSample? latest)
        {
            // Arrivals, sends, drops and dispatch lag from the engine, kept as they happened, so every second has them at
            // once — a tick that comes late reports each second it missed from the same source. (The records of a
            // second's requests arrive only when they end.) Outcomes and latency from the records of requests that ended
            // in the second.
            var s = stats.Second(second);
            var d = engine.Seconds.Read(second) ?? new DispatchSecond(s.Scheduled, s.Sent, s.Dropped, double.NaN, double.NaN);
            var phase = Array.FindLastIndex(starts, t => t <= second);
            var snapshot = new ProgressSnapshot(
                scenario.Name, label, index, scenario.Variants.Count, second + 1, variant.Load.DurationS,
                second < variant.Load.DurationS && phase >= 0 ? variant.Load.Phases[phase].Label : "drain (waiting for answers)",
                d.Arrivals, s.Ok, s.Completed, engine.InFlight, s.Ok, s.Rejected503, s.Errors, s.Timeouts, d.Dropped,
                s.LatencyP99Ms, latest?.ThreadPoolThreadCount, latest?.ThreadPoolQueueLength, d.LagP99Ms);
            return (d, s, snapshot);
        }

        // The client runs without tiered compilation: the first tick would compile this path while the load's first
        // second runs, on a core the dispatcher and the server need. Compile it now, before t0, reporting nothing.
        _ = PlainProgress.Format(Second(0, null).Snapshot);
        var thresholdMs = scenario.Client.LagThresholdMs ?? ClientLimitRule.DefaultThresholdMs(ResolvedLoad.Of(variant.Load));
        _thread = new Thread(() =>
        {
            var lastSecond = -1;
            var warned = false;
            while (!_stop.Wait(250))
            {
                var complete = (int)engine.ElapsedS - 1;
                if (complete <= lastSecond) continue;
                if (puller is not null) _ = puller.PullAsync(CancellationToken.None);
                else tail.Poll();
                var latest = puller?.Latest ?? tail.Latest;
                for (var second = lastSecond + 1; second <= complete; second++)
                {
                    var (d, s, snapshot) = Second(second, latest);
                    metrics.Write(label, second, d.Arrivals, d.Sent, d.Dropped, s.Completed, engine.InFlight, d.LagP99Ms, d.LagMaxMs);
                    progress.Report(snapshot);
                    if (!warned && LimitedIn(d, thresholdMs) is { } why)
                    {
                        // Said once, as it happens; the run's verdict (run.json, the report) comes from the whole run.
                        progress.Message($"{label}: the client cannot keep up in second {second + 1}: {why} — this variant will be flagged client-limited if it goes on.");
                        warned = true;
                    }
                }

                lastSecond = complete;
            }
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
