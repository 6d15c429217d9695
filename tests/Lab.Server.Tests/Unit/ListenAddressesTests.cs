using Lab.Server.Hosting;
using Lab.Testing;
using Microsoft.Extensions.Configuration;

namespace Lab.Server.Tests.Unit;

/// <summary>Which addresses count as loopback, and which configuration sources may ask for a wider one.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5100", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.8.9.10:80", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://LOCALHOST:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://unix:/tmp/lab.sock", true)]
    [InlineData("http://0.0.0.0:5100", false)]
    [InlineData("http://*:5100", false)]
    [InlineData("http://+:5100", false)]
    [InlineData("http://[::]:5100", false)]
    [InlineData("http://192.168.1.20:5100", false)]
    [InlineData("http://lab.example:5100", false)]
    public void Loopback_means_127_slash_8_the_ipv6_loopback_or_localhost(string address, bool loopback) =>
        Assert.Equal(loopback, ListenAddresses.IsLoopback(address));

    [Fact]
    public void A_wider_address_from_a_settings_source_is_refused_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("urls", "http://127.0.0.1:5100;http://0.0.0.0:5100")]).Build();

        var check = ListenAddresses.Check(configuration);

        Assert.False(check.IsAllowed);
        var refusal = Assert.Single(check.Refusals);
        Assert.Contains("refusing to listen on http://0.0.0.0:5100", refusal, StringComparison.Ordinal);
        Assert.Contains("--urls http://0.0.0.0:5100", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wider_address_on_the_command_line_is_allowed_and_announced()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(["--urls", "http://0.0.0.0:5100"]).Build();
        var stderr = new StringWriter();

        var check = ListenAddresses.Check(configuration);

        Assert.True(check.Report(stderr));
        Assert.Equal(["http://0.0.0.0:5100"], check.NonLoopbackAllowed);
        Assert.Contains("listening on http://0.0.0.0:5100, which is not a loopback address", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_line_wins_over_a_wider_address_from_a_settings_source()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("urls", "http://0.0.0.0:5100")])
            .AddCommandLine(["--urls", "http://127.0.0.1:0"])
            .Build();
        var check = ListenAddresses.Check(configuration);
        Assert.True(check.IsAllowed);
        Assert.Empty(check.NonLoopbackAllowed);
    }

    [Fact]
    public void Kestrel_endpoints_are_checked_too()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Kestrel:Endpoints:Public:Url", "http://*:8080")]).Build();
        var refusal = Assert.Single(ListenAddresses.Check(configuration).Refusals);
        Assert.Contains("--Kestrel:Endpoints:Public:Url http://*:8080", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_configured_is_allowed_the_lab_then_picks_its_loopback_default()
    {
        var check = ListenAddresses.Check(new ConfigurationBuilder().Build());
        Assert.True(check.IsAllowed);
        Assert.Empty(check.NonLoopbackAllowed);
    }
}
