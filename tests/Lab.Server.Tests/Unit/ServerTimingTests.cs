using System.Globalization;
using Lab.Server.Server.Probes;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>The probes' <c>Server-Timing</c> header: the standard form the load client parses, names only from the table.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ServerTimingTests
{
    [Fact]
    public void Entries_are_written_as_name_and_dur_in_the_order_measured_with_the_invariant_culture()
    {
        // The lab runs with InvariantGlobalization (no de-DE to borrow): a culture with a decimal comma made by hand.
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = comma;
        try
        {
            var timing = new ServerTiming();
            timing.Ms(ProbeMetrics.SetupBegin, 0.8449);
            timing.Ms(ProbeMetrics.SetupComplete, 1503.2);
            timing.YesNo(ProbeMetrics.SetupOnCaller, false);
            timing.YesNo(ProbeMetrics.SetupOnPool, true);

            Assert.Equal("begin;dur=0.84, complete;dur=1503.2, setupOnCaller;dur=0, setupOnPool;dur=1", ServerTiming.Format(timing.Entries));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void A_name_measured_twice_keeps_its_place_and_the_last_value()
    {
        var timing = new ServerTiming();
        timing.Ms(ProbeMetrics.MixStream, 1);
        timing.Ms(ProbeMetrics.MixTotal, 2);
        timing.Ms(ProbeMetrics.MixStream, 3);

        Assert.Equal("stream;dur=3, total;dur=2", ServerTiming.Format(timing.Entries));
    }

    [Fact]
    public void A_negative_duration_is_written_as_zero()
    {
        var timing = new ServerTiming();
        timing.Ms(ProbeMetrics.StarvedAfterRelease, -0.5);
        Assert.Equal("afterRelease;dur=0", ServerTiming.Format(timing.Entries));
    }

    [Fact]
    public void A_yes_no_fact_cannot_be_written_as_a_duration_nor_the_reverse()
    {
        var timing = new ServerTiming();
        Assert.Throws<ArgumentException>(() => timing.Ms(ProbeMetrics.MixEchoed, 1));
        Assert.Throws<ArgumentException>(() => timing.YesNo(ProbeMetrics.MixTotal, true));
    }

    [Fact]
    public void Every_probe_metric_name_is_an_http_token_and_unique_within_its_probe()
    {
        // Server-Timing names are RFC 9110 tokens; the load client keys its metrics by probe and name.
        Assert.All(ProbeMetrics.All, m => Assert.Matches("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", m.Name));
        Assert.All(ProbeMetrics.All.GroupBy(m => m.Probe), g => Assert.Equal(g.Count(), g.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count()));
        Assert.Equal([ProbeMetrics.Setup, ProbeMetrics.Starved, ProbeMetrics.Mix], ProbeMetrics.All.Select(m => m.Probe).Distinct());
    }
}
