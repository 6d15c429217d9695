using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>Each call style against a real backend process: what it returns, and how long the fan-outs take relative to each other.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ServerEndpointTests(LabFixture lab)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, pathAndQuery));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("sync-over-async")]
    [InlineData("async")]
    [InlineData("apm")]
    public async Task Every_call_style_returns_the_backends_work(string endpoint)
    {
        var (status, body) = await GetAsync($"/{endpoint}?delayMs=100&items=7&kind=widgets");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(endpoint, body.GetProperty("endpoint").GetString());
        var call = body.GetProperty("calls").EnumerateArray().Single();
        Assert.Equal("widgets", call.GetProperty("kind").GetString());
        Assert.Equal(200, call.GetProperty("status").GetInt32());
        Assert.Equal(7, call.GetProperty("items").GetInt32());
        Assert.Equal(100, call.GetProperty("delayMs").GetInt32());
        Assert.True(call.GetProperty("bytes").GetInt64() > 7 * 30, $"the body of 7 widgets should be read in full: {call}");
        Assert.True(body.GetProperty("elapsedMs").GetDouble() >= 95);
    }

    [Fact]
    public async Task The_leaky_endpoint_answers_from_the_headers_without_reading_the_body()
    {
        var (status, body) = await GetAsync("/leaky?delayMs=10&items=3");
        var call = body.GetProperty("calls")[0];
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, call.GetProperty("items").GetInt32());
        Assert.Equal(0, call.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Fan_out_runs_serial_sync_calls_one_after_another_and_parallel_async_calls_at_once()
    {
        // C6 in miniature: three 500 ms calls. Ratios with wide margins, never absolute times: serial is 3 × 500 ms
        // plus its overhead, parallel 500 ms plus its own; "more than twice" holds while parallel's overhead stays
        // under 250 ms plus half of serial's.
        var (serialStatus, serial) = await GetAsync("/pwg/serial-sync?delayMs=500");
        var (parallelStatus, parallel) = await GetAsync("/pwg/parallel-async?delayMs=500");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (serialStatus, parallelStatus));
        Assert.Equal(["products", "widgets", "gizmos"], serial.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(3, parallel.GetProperty("calls").GetArrayLength());
        var serialMs = serial.GetProperty("elapsedMs").GetDouble();
        var parallelMs = parallel.GetProperty("elapsedMs").GetDouble();
        Assert.True(serialMs >= 1_490, $"serial-sync took {serialMs} ms for three 500 ms calls");
        Assert.True(serialMs > 2 * parallelMs, $"serial {serialMs} ms vs parallel {parallelMs} ms");
    }

    [Fact]
    public async Task Fan_out_count_is_set_per_request()
    {
        var (_, body) = await GetAsync("/pwg/parallel-async?delayMs=10&calls=7");
        Assert.Equal(7, body.GetProperty("calls").GetArrayLength());
        Assert.Equal("products", body.GetProperty("calls")[6].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("cpu/sync")]
    [InlineData("cpu/async")]
    public async Task Cpu_endpoints_do_the_requested_work(string endpoint)
    {
        var (status, body) = await GetAsync($"/{endpoint}?workMs=30");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30, body.GetProperty("cpuWorkMs").GetInt32());
        Assert.True(body.GetProperty("elapsedMs").GetDouble() >= 10, $"30 ms of calibrated work took {body}");
    }

    [Theory]
    [InlineData("cpu/sync")]
    [InlineData("cpu/async")]
    public async Task Fixed_work_units_are_reported_in_this_process_calibrated_milliseconds(string endpoint)
    {
        var unitsPerMs = (await lab.GetJsonAsync(new Uri(lab.Server.Url, "/lab/info"))).GetProperty("cpuWorkUnitsPerMs").GetDouble();

        var (status, body) = await GetAsync($"/{endpoint}?workUnits=5000");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((int)Math.Round(5000 / unitsPerMs), body.GetProperty("cpuWorkMs").GetInt32());
    }

    [Fact]
    public async Task Lab_info_reports_role_process_settings_runtime_and_pool_limits()
    {
        await using var server = await lab.StartServerAsync(("MinWorkerThreads", "20"), ("MaxConnectionsPerServer", "12xCPU"));
        var info = await lab.GetJsonAsync(new Uri(server.Url, "/lab/info"));

        Assert.Equal("Server", info.GetProperty("role").GetString());
        Assert.Equal(server.ProcessId, info.GetProperty("processId").GetInt32());
        Assert.Equal(Environment.ProcessorCount, info.GetProperty("processorCount").GetInt32());
        Assert.Equal(20, info.GetProperty("threadPool").GetProperty("minWorkerThreads").GetInt32());
        Assert.Equal(12 * Environment.ProcessorCount, info.GetProperty("settings").GetProperty("maxConnectionsPerServer").GetProperty("connections").GetInt32());
        Assert.Equal(Environment.Version.ToString(), info.GetProperty("runtimeVersion").GetString());
        var paths = info.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToArray();
        Assert.Contains("/sync-over-async", paths);
        Assert.Contains("/pwg/parallel-async", paths);
        Assert.All(info.GetProperty("endpoints").EnumerateArray(), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("summary").GetString())));
    }
}
