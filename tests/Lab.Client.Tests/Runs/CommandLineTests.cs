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
        try
        {
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            // A command that should have returned at once is running (a refusal that did not refuse): stop what we started.
            client.Kill(entireProcessTree: true);
            throw;
        }

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
    public async Task Run_refuses_a_plan_over_the_request_limit_before_anything_starts_and_names_the_flag()
    {
        // 2,000/s for 3,000 s: six million requests, within every key's range but over the plan limit.
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, """
            name: huge
            description: a plan of millions of requests
            load: { model: open, phases: [ { inject: { ratePerS: 2000, durationS: 3000 } } ] }
            variants:
              - name: a
                endpoint: /fast
            """);
        // A server and backend of the test's own: the refusal must come before a single connection.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(16);
        var url = $"http://{listener.LocalEndPoint}/";
        var results = Path.Combine(dir, "results");

        var (code, _, err) = await RunAsync("run", scenario, "--out", results, "--server-url", url, "--backend-url", url, "--progress", "none");

        Assert.True(code == 2, $"exit {code}\n{err}");
        Assert.Contains("plans about 6,000,000 requests (at most 5,000,000 without --allow-large)", err, StringComparison.Ordinal);
        Assert.Contains("Nothing was run; pass --allow-large to run it anyway.", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results) && Directory.EnumerateFileSystemEntries(results).Any(), "a refused plan left a results folder");
        listener.Blocking = false;
        Assert.Throws<System.Net.Sockets.SocketException>(() => listener.Accept()); // nothing ever connected
    }

    [Fact]
    public async Task Suite_refuses_a_plan_over_the_request_limit_before_anything_starts_and_names_the_flag()
    {
        // The quick suite with C1's burst at its longest and fastest, fifty times over.
        var results = Path.Combine(Processes.NewFolder(), "results");
        var (code, _, err) = await RunAsync("suite", "--out", results, "--progress", "none", "--repeat", "50",
            "--set", "c1-burst:ratePerS=2000", "--set", "c1-burst:burstS=60");

        Assert.True(code == 2, $"exit {code}\n{err}");
        Assert.Contains("c1-burst plans about", err, StringComparison.Ordinal);
        Assert.Contains("requests (at most 5,000,000 without --allow-large)", err, StringComparison.Ordinal);
        Assert.Contains("Nothing was run; pass --allow-large to run it anyway.", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(results), "a refused suite left a results folder");
    }

    [Fact]
    public void Plain_progress_counts_only_2xx_as_achieved()
    {
        var line = PlainProgress.Format(new ProgressSnapshot("s", "sync", 0, 1, 9, 10, "drain", 0, GoodputPerS: 0, AnsweredPerS: 200, 300, 0, 0, 0, 200, 0, double.NaN, 4, 100, 0.1));
        Assert.Contains("2xx 0/s", line, StringComparison.Ordinal);
        Assert.Contains("timeout 200", line, StringComparison.Ordinal);
    }
}
