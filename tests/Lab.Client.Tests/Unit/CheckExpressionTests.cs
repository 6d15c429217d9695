using Lab.Testing;
using Lab.Client.Checks;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class CheckExpressionTests
{
    private static readonly Dictionary<string, double> s_values = new()
    {
        ["sync.latency.p99"] = 9000,
        ["async.latency.p99"] = 520,
        ["async.throughput.mean"] = 195,
        ["async.offered.mean"] = 200,
        ["limit1000.count.503"] = 12,
    };

    [Theory]
    [InlineData("sync.latency.p99 > 5 * async.latency.p99", true)]
    [InlineData("sync.latency.p99 > 20 * async.latency.p99", false)]
    [InlineData("async.throughput.mean >= 0.9 * async.offered.mean", true)]
    [InlineData("limit1000.count.503 > 0", true)]
    [InlineData("limit1000.count.503 == 12", true)]
    [InlineData("limit1000.count.503 != 12", false)]
    [InlineData("(sync.latency.p99 - async.latency.p99) / async.latency.p99 > 10", true)]
    [InlineData("-async.latency.p99 < 0", true)]
    [InlineData("1_000 <= 1000", true)]
    public void Evaluates_comparisons_of_arithmetic_over_metrics(string text, bool expected)
    {
        var check = CheckExpression.Parse(text);
        Assert.Equal(expected, check.Evaluate(m => s_values[m.ToString()]));
    }

    [Fact]
    public void Lists_the_metrics_it_names()
    {
        var check = CheckExpression.Parse("sync.latency.p99 > 5 * async.latency.p99");
        Assert.Equal(["sync.latency.p99", "async.latency.p99"], check.Metrics.Select(m => m.ToString()));
    }

    [Theory]
    [InlineData("sync.latency.p99", "a comparison")]
    [InlineData("sync.latency > 1", "variant.group.stat")]
    [InlineData("a.b.c.d.e > 1", "variant.group.stat")]
    [InlineData("sync.latency.p99 >> 1", "a number, a parameter, a metric reference")]
    [InlineData("(sync.latency.p99 > 1", "')'")]
    [InlineData("sync.latency.p99 > 1 2", "the end of the check")]
    [InlineData("> 1", "a number, a parameter, a metric reference")]
    [InlineData("1.2.3 > 1", "a number")]
    public void Malformed_checks_say_where_and_what_was_expected(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => CheckExpression.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("column", ex.Message, StringComparison.Ordinal);
    }
}
