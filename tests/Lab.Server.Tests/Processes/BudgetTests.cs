using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C7: one time budget for the whole request; pending calls are cancelled, none starts after it.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class BudgetTests(LabFixture lab)
{
    private async Task<(long Started, long Cancelled)> BackendDelaysAsync()
    {
        var c = await lab.CountersAsync(lab.Backend);
        return (c.GetProperty("delaysStarted").GetInt64(), c.GetProperty("delaysCancelled").GetInt64());
    }

    private async Task<long> ServerBackendCallsAsync() => (await lab.CountersAsync(lab.Server)).GetProperty("backendCalls").GetInt64();

    [Fact]
    public async Task Serial_calls_stop_at_the_deadline_the_pending_one_is_cancelled_and_the_next_never_starts()
    {
        var before = await BackendDelaysAsync();
        var callsBefore = await ServerBackendCallsAsync();
        // Three 2,000 ms calls in a 3,000 ms budget: #1 completes (1 s to spare), #2 is cancelled at 3 s (1 s before it
        // would end), #3 must never start.
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, "/pwg/serial-sync?delayMs=2000&budgetMs=3000"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal((1, 1, 1), (problem.GetProperty("completed").GetInt32(), problem.GetProperty("cancelled").GetInt32(), problem.GetProperty("notStarted").GetInt32()));
        Assert.True(await Eventually.TrueAsync(async () => (await BackendDelaysAsync()).Cancelled == before.Cancelled + 1, TimeSpan.FromSeconds(30)),
            "the backend never observed the cancellation of the pending call");
        // The server counts a call before it sends it, and the request is over: two calls, never a third.
        Assert.Equal(callsBefore + 2, await ServerBackendCallsAsync());
        Assert.Equal(before.Started + 2, (await BackendDelaysAsync()).Started);
    }

    [Fact]
    public async Task Parallel_calls_are_all_cancelled_when_the_budget_runs_out()
    {
        var before = await BackendDelaysAsync();
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, "/pwg/parallel-async?delayMs=30000&budgetMs=300"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(3, problem.GetProperty("cancelled").GetInt32());
        Assert.True(await Eventually.TrueAsync(async () => (await BackendDelaysAsync()).Cancelled == before.Cancelled + 3, TimeSpan.FromSeconds(30)),
            "the backend did not observe three cancellations");
    }

    [Fact]
    public async Task The_server_wide_request_timeout_applies_to_every_style()
    {
        // 1,500 ms: far longer than a quick call takes even cold on a loaded machine, far shorter than the slow one.
        await using var server = await lab.StartServerAsync(("RequestTimeoutMs", "1500"));
        foreach (var endpoint in new[] { "sync", "sync-over-async", "async", "apm" })
        {
            using var slow = await lab.Http.GetAsync(new Uri(server.Url, $"/{endpoint}?delayMs=30000"));
            using var quick = await lab.Http.GetAsync(new Uri(server.Url, $"/{endpoint}?delayMs=10"));
            Assert.Equal((HttpStatusCode.GatewayTimeout, HttpStatusCode.OK), (slow.StatusCode, quick.StatusCode));
        }

        var counters = await lab.CountersAsync(server);
        Assert.Equal(4, counters.GetProperty("timedOutRequests").GetInt64());
        Assert.Equal(4, counters.GetProperty("backendCallsCancelled").GetInt64());
    }
}
