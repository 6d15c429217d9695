using Lab.Client.Progress;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>The client's command line as a user types it: options the root command takes, and mistakes said as such.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class CommandLineTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var client = Processes.StartClient(args);
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (client.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task An_unknown_option_is_called_an_unknown_option_not_a_missing_file()
    {
        var (code, _, err) = await RunAsync("run", "scenarios/c1-burst.yaml", "--no-such-option", "1");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --no-such-option", err, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be read", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_command_takes_the_suites_options()
    {
        // --progress is accepted (a bad value is refused by the option itself, not as an unknown token).
        var (code, _, err) = await RunAsync("--progress", "sideways");
        Assert.Equal(2, code);
        Assert.Contains("sideways", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized command or argument '--progress'", err, StringComparison.Ordinal);
        var (helpCode, help, _) = await RunAsync("--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("--progress", help, StringComparison.Ordinal);
        Assert.Contains("--repeat", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_takes_set_and_says_what_a_bad_value_breaks()
    {
        var (code, _, err) = await RunAsync("validate", Path.Combine(Processes.Root, "scenarios", "c3-queue-503.yaml"), "--set", "longLimit=500");
        Assert.Equal(2, code);
        Assert.Contains("requires[1]", err, StringComparison.Ordinal);
        Assert.Contains("--set longLimit=500", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_progress_counts_only_2xx_as_achieved()
    {
        var line = PlainProgress.Format(new ProgressSnapshot("s", "sync", 0, 1, 9, 10, "drain", 0, GoodputPerS: 0, AnsweredPerS: 200, 300, 0, 0, 0, 200, 0, double.NaN, 4, 100, 0.1));
        Assert.Contains("2xx 0/s", line, StringComparison.Ordinal);
        Assert.Contains("timeout 200", line, StringComparison.Ordinal);
    }
}
