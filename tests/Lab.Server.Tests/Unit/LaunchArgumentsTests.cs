using Lab.Server.Configuration;
using Lab.Server.Hosting;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>The command line before ASP.NET Core sees it: help, the role, or neither (the role then comes from Lab:Role).</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class LaunchArgumentsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_prints_the_usage_and_exits_0(string argument)
    {
        var output = new StringWriter();
        var exit = LaunchArguments.Parse([argument]).EarlyExit(output, new StringWriter());
        Assert.Equal(ExitCodes.Stopped, exit);
        Assert.Equal(Usage.Text, output.ToString());
    }

    [Theory]
    [InlineData("server", LabRole.Server)]
    [InlineData("Backend", LabRole.Backend)]
    public void The_first_argument_is_the_role_and_the_rest_go_to_the_host(string role, LabRole expected)
    {
        var launch = LaunchArguments.Parse([role, "--urls", "http://127.0.0.1:0", "--Lab:QueueLimit=5"]);
        Assert.Equal(expected, launch.Role);
        Assert.Equal(["--urls", "http://127.0.0.1:0", "--Lab:QueueLimit=5"], launch.HostArgs);
        Assert.Null(launch.EarlyExit(new StringWriter(), new StringWriter()));
    }

    [Theory]
    [InlineData("frontend")]
    [InlineData("1")]
    public void An_unknown_role_exits_2_naming_it(string role)
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadArguments, LaunchArguments.Parse([role]).EarlyExit(new StringWriter(), error));
        Assert.Contains($"unknown role \"{role}\"", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_positional_role_every_argument_goes_to_the_host()
    {
        var launch = LaunchArguments.Parse(["--Lab:Role=backend"]);
        Assert.Null(launch.Role);
        Assert.Equal(["--Lab:Role=backend"], launch.HostArgs);
    }
}
