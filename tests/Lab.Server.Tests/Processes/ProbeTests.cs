using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>
/// The C15–C17 probes against a real backend process: what HttpWebRequest's Begin calls do on .NET 10, read from the
/// <c>Server-Timing</c> header as the load client reads it. Every timing assertion is a ratio to a delay the probe
/// injected and measured itself in the same request.
/// </summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ProbeTests(LabFixture lab, ITestOutputHelper output)
{
    private const int SetupMs = 1_500;
    private const int HoldMs = 2_000;

    private async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, double> Timing, JsonElement Body)> ProbeAsync(RunningLabServer server, string pathAndQuery)
    {
        using var response = await lab.Http.GetAsync(new Uri(server.Url, pathAndQuery));
        // The measurements, in the test log: what this machine did, next to what the assertions required.
        output.WriteLine($"{pathAndQuery} → {(int)response.StatusCode} Server-Timing: {string.Join(", ", response.Headers.TryGetValues("Server-Timing", out var v) ? v : [])}");
        return (response.StatusCode, ServerTimingValues.Of(response), await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_synchronous_control_holds_the_calling_thread_for_the_whole_proxy_lookup()
    {
        var (status, t, body) = await ProbeAsync(lab.Server, $"/probe/apm-setup?setupMs={SetupMs}&method=syncResponse");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, t["setupRan"]);
        Assert.True(t["setup"] >= 0.95 * SetupMs, $"the lookup slept {SetupMs} ms: {body}");
        Assert.True(t["begin"] >= 0.8 * t["setup"], $"GetResponse() must contain the lookup: {body}");
        Assert.Equal(1, t["setupOnCaller"]);
        Assert.Equal(0, t["threw"]);
    }

    [Theory]
    [InlineData("beginResponse")]
    [InlineData("beginRequestStream")]
    public async Task A_begin_call_returns_before_the_proxy_lookup_which_runs_on_a_pool_thread_instead(string method)
    {
        // C15 measured: on .NET 10 the setup is not done on the calling thread; the call returns at once (0.1–7 ms
        // here) and a pool thread sleeps through the lookup. The exchange as a whole still takes the whole lookup.
        var (status, t, body) = await ProbeAsync(lab.Server, $"/probe/apm-setup?setupMs={SetupMs}&method={method}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, t["setupRan"]);
        Assert.True(t["begin"] < 0.2 * t["setup"], $"the Begin call held its caller through the lookup: {body}");
        Assert.True(t["complete"] >= 0.8 * t["setup"], $"the exchange cannot finish before its lookup: {body}");
        Assert.Equal(0, t["setupOnCaller"]);
        Assert.Equal(1, t["setupOnPool"]);
        Assert.True(body.GetProperty("details").GetProperty("bytesRead").GetInt64() > 0, $"the response was read: {body}");
    }

    [Fact]
    public async Task The_server_timing_header_and_the_json_body_carry_the_same_measurements()
    {
        var (_, t, body) = await ProbeAsync(lab.Server, "/probe/apm-setup?setupMs=10&method=beginResponse");

        var fromBody = body.GetProperty("serverTiming").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("dur").GetDouble());
        Assert.Equal(["begin", "complete", "setup", "setupRan", "setupOnCaller", "setupOnPool", "threw"], t.Keys);
        Assert.Equal(fromBody.OrderBy(kv => kv.Key), t.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Begin_calls_on_a_starved_pool_do_not_throw_and_call_back_only_after_the_release()
    {
        // C16 measured: no InvalidOperationException on .NET 10; the callback waits in the pool's queue until threads
        // free up. The pool is capped so that every worker it may have can be held.
        var workers = Math.Max(4, Environment.ProcessorCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var server = await lab.StartServerAsync(("MinWorkerThreads", workers), ("MaxWorkerThreads", workers));

        // Both methods on one server, one after the other: the second probe also shows the first released everything.
        foreach (var method in new[] { "beginRequestStream", "beginResponse" })
        {
            var (status, t, body) = await ProbeAsync(server, $"/probe/apm-starved?holdMs={HoldMs}&method={method}");

            Assert.True(status == HttpStatusCode.OK, $"{method}: {status} {body}");
            Assert.Equal(1, t["starved"]);
            Assert.Equal(0, t["threw"]);
            Assert.Equal(0, t["callbackWhileStarved"]);
            Assert.True(t["callback"] >= 0.9 * HoldMs, $"{method}: the callback ran while the pool was held: {body}");
            Assert.True(t["afterRelease"] < 0.5 * HoldMs, $"{method}: the callback should follow the release promptly: {body}");
            Assert.True(t["complete"] >= t["callback"], $"{method}: {body}");
            Assert.True(t["begin"] < 0.5 * HoldMs, $"{method}: {body}");
            Assert.Equal(body.GetProperty("details").GetProperty("maxWorkers").GetInt32(), body.GetProperty("details").GetProperty("blockersHolding").GetInt32());
        }

        // Nothing left blocked: more concurrent requests than the pool has workers, each over a backend call, all answer.
        var requests = Enumerable.Range(0, 3 * int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture))
            .Select(_ => lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=100")))
            .ToArray();
        var responses = await Task.WhenAll(requests);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Theory]
    [InlineData("beginStream-syncResponse")]
    [InlineData("syncStream-beginResponse")]
    [InlineData("beginResponse-syncResponse")]
    [InlineData("beginStream-beginResponse")]
    public async Task Sync_and_async_methods_mixed_on_one_request_work_and_the_body_is_echoed(string sequence)
    {
        // C17 measured: nothing on .NET 10 records or checks a sync/async mode per request, so every mix completes.
        var (status, t, body) = await ProbeAsync(lab.Server, $"/probe/apm-mix?sequence={sequence}");

        Assert.True(status == HttpStatusCode.OK, $"{sequence}: {status} {body}");
        Assert.Equal(1, t["echoed"]);
        Assert.Equal(0, t["threw"]);
        Assert.True(t["total"] >= t["response"], $"{sequence}: {body}");
        Assert.Equal(body.GetProperty("details").GetProperty("bytesSent").GetInt64(), body.GetProperty("details").GetProperty("bytesEchoed").GetInt64());
    }
}
