using Lab.Server.Configuration;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ConnectionLimitTests
{
    [Theory]
    [InlineData("unlimited", 4, int.MaxValue)]
    [InlineData("UNLIMITED", 4, int.MaxValue)]
    [InlineData("48", 4, 48)]
    [InlineData("12xCPU", 4, 48)]
    [InlineData("12xcpu", 2, 24)]
    [InlineData(" 1xCPU ", 8, 8)]
    public void Parses_numbers_unlimited_and_per_core_forms(string text, int cores, int expected)
    {
        Assert.Equal(expected, ConnectionLimit.TryParse(text, cores)!.Connections);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("12xGPU")]
    [InlineData("xCPU")]
    [InlineData("0xCPU")]
    [InlineData("2000000")]
    public void Rejects_anything_else(string text)
    {
        Assert.Null(ConnectionLimit.TryParse(text, 4));
    }
}
