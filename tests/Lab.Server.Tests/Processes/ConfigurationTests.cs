using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>
/// Bad settings stop the process at start with exit code 2 and a message naming the key; a port in use is exit
/// code 1. (Every message itself is checked in the unit tier, on SettingsReader; here, that the process says it.)
/// </summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ConfigurationTests(LabFixture lab)
{
    [Theory]
    [InlineData("QueueLimit", "-1", "Lab:QueueLimit")]
    [InlineData("QueueLimt", "5", "Lab:QueueLimt is not a known setting")]
    [InlineData("SampleFile", "/no/such/folder/s.jsonl", "does not exist")]
    public async Task An_invalid_setting_stops_the_server_with_exit_code_2_and_a_clear_message(string key, string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => lab.StartServerAsync((key, value)));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains(expected, ex.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_threads_above_max_threads_is_refused_in_the_words_lab_client_uses()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => lab.StartServerAsync(("MinWorkerThreads", "500"), ("MaxWorkerThreads", "10")));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("MinWorkerThreads = 500 is above MaxWorkerThreads = 10: expected min <= max", ex.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => RunningLabServer.StartAsync("frontend"));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("unknown role \"frontend\"", ex.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_role_may_be_given_as_a_setting_instead()
    {
        await using var backend = await RunningLabServer.StartAsync(null, [("Role", "backend")]);
        var info = await lab.GetJsonAsync(new Uri(backend.Url, "/lab/info"));
        Assert.Equal("Backend", info.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_exit_code_1()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => RunningLabServer.StartAsync("backend", urls: lab.Backend.Url.ToString()));
        Assert.Equal(1, ex.ExitCode);
        Assert.Contains("could not listen", ex.StandardError, StringComparison.Ordinal);
    }
}
