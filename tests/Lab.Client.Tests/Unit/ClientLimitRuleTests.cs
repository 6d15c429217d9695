using Lab.Client.Analysis;
using Lab.Client.Recording;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ClientLimitRuleTests
{
    private static ResolvedLoad Inject(params double[] rates) =>
        new("open", rates.Length, [.. rates.Select((r, i) => new ResolvedPhase(i, "inject", "inject", i, 1, new Dictionary<string, double> { ["ratePerS"] = r }))]);

    [Theory]
    [InlineData(new[] { 20.0, 600 }, 1.667)] // the spacing at the peak, 1000 / 600 ms
    [InlineData(new[] { 300.0 }, 3.333)]
    [InlineData(new[] { 10_000.0 }, 1)] // never below 1 ms
    [InlineData(new[] { 2.0 }, 5)] // never above 5 ms
    public void The_default_threshold_is_the_spacing_at_the_peak_rate_within_one_to_five_ms(double[] rates, double expected) =>
        Assert.Equal(expected, ClientLimitRule.DefaultThresholdMs(Inject(rates)), 3);

    [Fact]
    public void A_lag_under_one_spacing_keeps_the_schedule_and_one_over_it_is_client_limited()
    {
        var threshold = ClientLimitRule.DefaultThresholdMs(Inject(600));
        Assert.False(ClientLimitRule.Judge(_ => 1.157, 1_800, 0, 1000, threshold).Limited);

        var late = ClientLimitRule.Judge(_ => 2.45, 1_800, 0, 1000, threshold);
        Assert.True(late.Limited);
        Assert.Equal("p99", late.Statistic);
        Assert.Contains("dispatch lag p99 2.45 ms over 1800 sends is above the 1.667 ms threshold", Assert.Single(late.Why), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 0.50, "median")]
    [InlineData(100, 0.90, "p90")]
    [InlineData(1_000, 0.99, "p99")]
    public void The_statistic_is_the_one_the_sample_size_supports(long sends, double p, string name)
    {
        double asked = 0;
        var j = ClientLimitRule.Judge(q => { asked = q; return 0; }, sends, 0, 10, 1);
        Assert.Equal((p, name), (asked, j.Statistic));
    }

    [Fact]
    public void Dropped_arrivals_are_client_limited_whatever_the_lag() =>
        Assert.Contains("3 arrivals were dropped at the client's in-flight cap of 64", ClientLimitRule.Judge(_ => 0, 1_000, 3, 64, 1).Why);
}
