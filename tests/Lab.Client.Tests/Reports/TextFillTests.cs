using Lab.Client.Load;
using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>Texts filled from what ran: a latency the timeout cut off in words, the spread over repetitions, the runtime that ran.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class TextFillTests
{
    /// <summary>Two more slow requests the client gave up on at its timeout (2 of 22, 9 %): the p99 and the maximum are the timeout's.</summary>
    private static RunReport WithTimeouts() => RunReport.Build(FixtureRun.Create(extraRequests:
    [
        new RequestRecord("slow", 1, 0, 30, "/sync?delayMs=500", 1000, 1000.5, 31_000, 0, Outcome.Timeout, 0),
        new RequestRecord("slow", 1, 0, 31, "/sync?delayMs=500", 1100, 1100.5, 31_100, 0, Outcome.Timeout, 0),
    ]), 1);

    [Fact]
    public void A_latency_the_timeouts_reach_reads_as_more_than_the_timeout_not_as_a_measured_number()
    {
        var report = WithTimeouts();
        Assert.Equal("p99 reached > 30 s (9 % timed out); done", report.Fill("p99 reached {slow.latencyWithTimeouts.p99} ms; done"));
        Assert.Equal("p99 > 30 s (9 % timed out; answered: 2400 ms)", report.Fill("p99 {slow.latency.p99} ms"));
        Assert.Equal("slowest > 30 s (9 % timed out)", report.Fill("slowest {slow.latencyWithTimeouts.max} ms"));
        // Below the timeouts' share the percentile is measured, and stays a number with its unit.
        Assert.Equal("p50 1500 ms", report.Fill("p50 {slow.latencyWithTimeouts.p50} ms"));   // rank 11 of 22: the timeouts count
        Assert.Equal("p50 1400 ms", report.Fill("p50 {slow.latency.p50} ms"));
        Assert.StartsWith("mean ≥ ", report.Fill("mean {slow.latencyWithTimeouts.mean} ms"), StringComparison.Ordinal);
        Assert.EndsWith(" ms (9 % timed out at 30 s)", report.Fill("mean {slow.latencyWithTimeouts.mean} ms"), StringComparison.Ordinal);
        // A variant where nothing timed out is untouched.
        Assert.Equal("fast p99 50 ms", report.Fill("fast p99 {fast.latencyWithTimeouts.p99} ms"));
    }

    [Fact]
    public void With_repetitions_a_filled_number_carries_its_range_and_a_single_run_does_not()
    {
        // Repetition r scales latencies by r: slow p99 2400, 4800, 7200; fast p99 50, 100, 150.
        var three = RunReport.Build(FixtureRun.Create(repetitions: 3), 1);
        Assert.Equal("slow p99 4800 [2400–7200] ms", three.Fill("slow p99 {slow.latency.p99} ms"));
        Assert.Equal("20 answered", three.Fill("{slow.count.ok} answered"));          // the same in every repetition: no range
        Assert.Equal("gap 4700 [2350–7050] ms", three.Fill("gap {= slow.latency.p99 - fast.latency.p99} ms"));
        Assert.Equal("ratio 48", three.Fill("ratio {= slow.latency.p99 / fast.latency.p99}"));
        Assert.Equal("twice 1000 ms", three.Fill("twice {= 2 * delayMs} ms"));

        var one = RunReport.Build(FixtureRun.Create(), 1);
        Assert.Equal("slow p99 2400 ms", one.Fill("slow p99 {slow.latency.p99} ms"));
        Assert.Equal("gap 2350 ms", one.Fill("gap {= slow.latency.p99 - fast.latency.p99} ms"));
    }

    [Fact]
    public void The_runtime_placeholder_is_the_dotnet_the_server_reported()
    {
        var report = RunReport.Build(FixtureRun.Create(), 1);
        // The fixture's server says .NET 10.0.14, its client .NET 10.0.12: the text names the server's.
        Assert.Equal("on .NET 10.0.14 nothing forbids it", report.Fill("on {runtime} nothing forbids it"));
    }
}
