using Lab.Server.Http;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class DelaySpecTests
{
    [Theory]
    [InlineData("500", 500, 500)]
    [InlineData("0", 0, 0)]
    [InlineData("200-800", 200, 800)]
    [InlineData("60000", 60000, 60000)]
    [InlineData("7-7", 7, 7)]
    public void Parses_fixed_delays_and_ranges(string text, int min, int max)
    {
        Assert.True(DelaySpec.TryParse(text, out var spec, out _));
        Assert.Equal((min, max), (spec.MinMs, spec.MaxMs));
    }

    [Theory]
    [InlineData("-5", "expected milliseconds")]
    [InlineData("60001", "expected milliseconds")]
    [InlineData("abc", "expected milliseconds")]
    [InlineData("800-200", "minimum above its maximum")]
    [InlineData("100-70000", "expected milliseconds")]
    [InlineData("1-2-3", "expected milliseconds")]
    public void Rejects_bad_delays_with_a_reason(string text, string reason)
    {
        Assert.False(DelaySpec.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_delays_stay_inside_their_range_and_vary()
    {
        var spec = new DelaySpec(200, 800);
        var draws = Enumerable.Range(0, 2_000).Select(_ => spec.Next()).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 200, 800));
        Assert.True(draws.Distinct().Count() > 100, "a uniform range should give many distinct delays");
        Assert.Equal("200-800", spec.ToString());
    }
}
