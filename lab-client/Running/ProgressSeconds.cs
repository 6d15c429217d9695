using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Running;

/// <summary>
/// What the ticker does at each tick, apart from the thread that drives it: for every second of a variant run that
/// completed since the last tick — all of them, when the tick comes late — the client-metrics line and the progress
/// snapshot. Its clock, counters and server samples come in from outside, so a test can drive it second by second.
/// </summary>
internal sealed class ProgressSeconds
{
    private readonly Scenario _scenario;
    private readonly int _index;
    private readonly Variant _variant;
    private readonly double[] _phaseStartsS;
    private readonly Func<double> _elapsedS;
    private readonly DispatchSeconds _dispatch;
    private readonly Func<long> _inFlight;
    private readonly VariantStats _stats;
    private readonly ClientMetricsWriter _metrics;
    private readonly IProgressSink _progress;
    private readonly Func<ServerSample?> _pollSample;
    private readonly double _lagThresholdMs;
    private int _lastSecond = -1;
    private bool _warned;

    /// <param name="scenario">The scenario being run.</param>
    /// <param name="index">The variant's index in it.</param>
    /// <param name="repetition">The repetition (from 1); shown after the name when above 1.</param>
    /// <param name="elapsedS">Seconds since the load's t0 (the engine's clock).</param>
    /// <param name="dispatch">The engine's per-second arrivals, sends, drops and dispatch lag.</param>
    /// <param name="inFlight">Requests sent and not yet ended.</param>
    /// <param name="stats">Outcomes and latency per second, from the records of requests that ended.</param>
    /// <param name="metrics">client-metrics.csv, a line per second.</param>
    /// <param name="progress">Where each second's snapshot goes.</param>
    /// <param name="pollSample">Reads the server's newest sample (polled only when a second is to be reported).</param>
    public ProgressSeconds(Scenario scenario, int index, int repetition, Func<double> elapsedS, DispatchSeconds dispatch, Func<long> inFlight,
        VariantStats stats, ClientMetricsWriter metrics, IProgressSink progress, Func<ServerSample?> pollSample)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _index = index;
        _variant = scenario.Variants[index];
        Label = repetition > 1 ? $"{_variant.Name} #{repetition}" : _variant.Name;
        _phaseStartsS = [.. _variant.Load.PhaseStartsS];
        (_elapsedS, _dispatch, _inFlight, _stats, _metrics, _progress, _pollSample) = (elapsedS, dispatch, inFlight, stats, metrics, progress, pollSample);
        _lagThresholdMs = scenario.Client.LagThresholdMs ?? Analysis.ClientLimitRule.DefaultThresholdMs(ResolvedLoad.Of(_variant.Load));
    }

    public string Label { get; }

    /// <summary>
    /// One second's snapshot. Arrivals, sends, drops and dispatch lag from the engine, kept as they happened, so every
    /// second has them at once — a tick that comes late reports each second it missed from the same source. (The
    /// records of a second's requests arrive only when they end.) Outcomes and latency from the records of requests
    /// that ended in the second: "2xx/s" counts 2xx answers only, never timeouts or errors.
    /// </summary>
    public (DispatchSecond Dispatch, SecondStats Records, ProgressSnapshot Snapshot) Second(int second, ServerSample? latest)
    {
        var s = _stats.Second(second);
        var d = _dispatch.Read(second) ?? new DispatchSecond(s.Scheduled, s.Sent, s.Dropped, double.NaN, double.NaN);
        var phase = Array.FindLastIndex(_phaseStartsS, t => t <= second);
        var snapshot = new ProgressSnapshot(
            _scenario.Name, Label, _index, _scenario.Variants.Count, second + 1, _variant.Load.DurationS,
            second < _variant.Load.DurationS && phase >= 0 ? _variant.Load.Phases[phase].Label : "drain (waiting for answers)",
            d.Arrivals, GoodputPerS: s.Ok, AnsweredPerS: s.Completed, _inFlight(), s.Ok, s.Rejected503, s.Errors, s.Timeouts, d.Dropped,
            s.LatencyP99Ms, latest?.ThreadPoolThreadCount, latest?.ThreadPoolQueueLength, d.LagP99Ms);
        return (d, s, snapshot);
    }

    /// <summary>Reports every second that completed since the last tick, in order, each once.</summary>
    public void Tick()
    {
        var complete = (int)_elapsedS() - 1;
        if (complete <= _lastSecond) return;
        var latest = _pollSample();
        for (var second = _lastSecond + 1; second <= complete; second++)
        {
            var (d, s, snapshot) = Second(second, latest);
            _metrics.Write(Label, second, d.Arrivals, d.Sent, d.Dropped, s.Completed, snapshot.InFlight, d.LagP99Ms, d.LagMaxMs);
            _progress.Report(snapshot);
            if (!_warned && VariantTicker.LimitedIn(d, _lagThresholdMs) is { } why)
            {
                // Said once, as it happens; the run's verdict (run.json, the report) comes from the whole run.
                _progress.Message($"{Label}: the client cannot keep up in second {second + 1}: {why} — this variant will be flagged client-limited if it goes on.");
                _warned = true;
            }
        }

        _lastSecond = complete;
    }
}
