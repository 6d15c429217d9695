using System.Net;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>Loopback by default, really: a wider address must come from the command line, and then it is announced.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ListenTests(LabFixture lab)
{
    [Fact]
    public async Task An_inherited_wildcard_address_is_refused_with_exit_code_2_naming_the_variable()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => RunningLabServer.StartAsync(
            "backend", urls: null, environment: new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:0" }));

        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("refusing to listen on http://0.0.0.0:0", ex.StandardError, StringComparison.Ordinal);
        Assert.Contains("the environment variable ASPNETCORE_URLS", ex.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inherited_loopback_address_is_used()
    {
        await using var backend = await RunningLabServer.StartAsync(
            "backend", urls: null, environment: new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
        Assert.Equal("127.0.0.1", backend.Url.Host);
        Assert.DoesNotContain("not a loopback address", backend.RecentStandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wildcard_address_on_the_command_line_is_used_and_announced_on_stderr()
    {
        // A free port on every interface for the second or two this test takes; it is only ever called on loopback.
        await using var backend = await RunningLabServer.StartAsync("backend", urls: "http://0.0.0.0:0");

        Assert.StartsWith("http://0.0.0.0:", backend.PrintedUrl, StringComparison.Ordinal);
        // stderr and stdout are read separately: the notice, written before the ready line, may be read after it.
        Assert.True(await Eventually.TrueAsync(
                () => backend.RecentStandardError.Contains("listening on http://0.0.0.0:0, which is not a loopback address (given on the command line)", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30)),
            $"no notice on stderr: {backend.RecentStandardError}");
        using var response = await lab.Http.GetAsync(new Uri(backend.Url, "/products?delayMs=0&items=1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
