using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>Bad settings stop the process at start with exit code 2 and a message naming the key.</summary>
[Collection(LabCollection.Name)]
public sealed class ConfigurationTests(LabFixture lab)
{
    [Theory]
    [InlineData("QueueLimit", "-1", "Lab:QueueLimit")]
    [InlineData("ConcurrencyLimit", "lots", "Lab:ConcurrencyLimit = \"lots\": expected an integer")]
    [InlineData("MaxConnectionsPerServer", "12xGPU", "Lab:MaxConnectionsPerServer = \"12xGPU\"")]
    [InlineData("SampleIntervalMs", "1", "Lab:SampleIntervalMs = \"1\": expected an integer from 10 to 10000")]
    [InlineData("MaxWorkerThreads", "1", "Lab:MaxWorkerThreads")]
    [InlineData("BackendUrl", "ftp://example", "expected an absolute http:// or https:// URL")]
    [InlineData("QueueLimt", "5", "Lab:QueueLimt is not a known setting")]
    [InlineData("SampleFile", "/no/such/folder/s.jsonl", "does not exist")]
    public async Task An_invalid_setting_stops_the_server_with_a_clear_message(string key, string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => lab.StartServerAsync((key, value)));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_threads_above_max_threads_is_refused()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() => lab.StartServerAsync(("MinWorkerThreads", "500"), ("MaxWorkerThreads", "100")));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("expected min <= max", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() =>
            RunningLabServer.StartAsync("frontend"));
        Assert.Equal(2, ex.ExitCode);
        Assert.Contains("unknown role \"frontend\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_exit_code_1()
    {
        var ex = await Assert.ThrowsAsync<LabServerStartException>(() =>
            RunningLabServer.StartAsync("backend", urls: lab.Backend.Url.ToString()));
        Assert.Equal(1, ex.ExitCode);
        Assert.Contains("could not listen", ex.Message, StringComparison.Ordinal);
    }
}
