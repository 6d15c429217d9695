using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>
/// The live progress a variant run shows, second by second, driven by a clock and counters of the test's own:
/// client timeouts are never "achieved" 2xx/s, and a tick that comes late reports every second it missed.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ProgressSecondsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lab-progress-").FullName;
    private readonly Scenario _scenario = ScenarioLoader.Parse("""
        name: progress
        description: d
        load: { model: open, phases: [ { inject: { ratePerS: 200, durationS: 8 } } ] }
        variants:
          - name: sync
            endpoint: /sync?delayMs=100
        """, "progress.yaml", processorCount: 2);

    private readonly VariantStats _stats = new();
    private readonly DispatchSeconds _dispatch = new();
    private readonly Sink _sink = new();
    private double _elapsedS;
    private long _seq;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (ProgressSeconds Seconds, ClientMetricsWriter Metrics) Create()
    {
        var metrics = new ClientMetricsWriter(Path.Combine(_folder, "client-metrics.csv"));
        return (new ProgressSeconds(_scenario, 0, 1, () => _elapsedS, _dispatch, () => 7, _stats, metrics, _sink, () => null), metrics);
    }

    /// <summary>A request due at <paramref name="intendedMs"/>, sent then, that ended at <paramref name="endMs"/>.</summary>
    private void Ended(double intendedMs, double endMs, Outcome outcome, int status)
    {
        _stats.Add(new RequestRecord("sync", 1, 0, _seq++, "/sync?delayMs=100", intendedMs, intendedMs, endMs, status, outcome, 0));
        var second = (int)(intendedMs / 1000);
        _dispatch.Arrival(second, dropped: false);
        _dispatch.Sent(second, 0);
    }

    [Fact]
    public void Client_timeouts_in_a_second_are_not_counted_as_achieved_2xx()
    {
        // C1's drain: 200 requests timed out in the second and 3 were answered 200 — 3 achieved, not 203.
        for (var i = 0; i < 200; i++) Ended(0, 900, Outcome.Timeout, 0);
        for (var i = 0; i < 3; i++) Ended(100, 800, Outcome.Ok, 200);
        var (seconds, metrics) = Create();
        using (metrics)
        {
            var snapshot = seconds.Second(0, null).Snapshot;
            Assert.Equal((3, 203, 3, 200, 0), (snapshot.GoodputPerS, snapshot.AnsweredPerS, snapshot.Ok, snapshot.Timeouts, snapshot.Errors));
            Assert.Equal(203, snapshot.OfferedPerS);
            var line = PlainProgress.Format(snapshot);
            Assert.Contains("2xx 3/s", line, StringComparison.Ordinal);
            Assert.Contains("timeout 200", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_late_tick_reports_every_second_it_missed_each_once_and_in_order()
    {
        // A burst of 121 answers lands in the fourth second; the ticker then sleeps through five seconds.
        for (var i = 0; i < 121; i++) Ended(3_000, 3_500, Outcome.Ok, 200);
        Ended(5_000, 5_200, Outcome.Ok, 200);
        var (seconds, metrics) = Create();
        using (metrics)
        {
            _elapsedS = 0.6;
            seconds.Tick();
            Assert.Empty(_sink.Snapshots); // no second has completed yet

            _elapsedS = 1.1;
            seconds.Tick();
            _elapsedS = 1.9;
            seconds.Tick();
            Assert.Equal([1.0], _sink.Snapshots.Select(s => s.ElapsedS));

            _elapsedS = 6.7; // late: seconds 2 to 6 completed since the last tick
            seconds.Tick();
            Assert.Equal([1.0, 2, 3, 4, 5, 6], _sink.Snapshots.Select(s => s.ElapsedS));
            Assert.Equal(121, _sink.Snapshots[3].GoodputPerS);
            Assert.Equal(1, _sink.Snapshots[5].GoodputPerS);
            Assert.All(_sink.Snapshots.Where((_, i) => i is not (3 or 5)), s => Assert.Equal(0, s.GoodputPerS));

            _elapsedS = 6.9;
            seconds.Tick();
            Assert.Equal(6, _sink.Snapshots.Count);
        }

        // client-metrics.csv: a line for every second as well, in order.
        var lines = File.ReadAllLines(Path.Combine(_folder, "client-metrics.csv")).Skip(1).ToList();
        Assert.Equal(["0", "1", "2", "3", "4", "5"], lines.Select(l => l.Split(',')[1]));
        Assert.Equal("121", lines[3].Split(',')[5]); // completed in the fourth second
    }

    private sealed class Sink : IProgressSink
    {
        public List<ProgressSnapshot> Snapshots { get; } = [];

        public Task RunAsync(Func<Task> work) => work();

        public void Report(ProgressSnapshot s) => Snapshots.Add(s);

        public void Message(string text)
        {
        }
    }
}
