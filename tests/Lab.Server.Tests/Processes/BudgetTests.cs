using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C7: one time budget for the whole request; pending calls are cancelled, none starts after it.</summary>
[Collection(LabCollection.Name)]
public sealed class BudgetTests(LabFixture lab)
{
    private async Task<(long Started, long Cancelled)> BackendDelaysAsync()
    {
        var c = await lab.CountersAsync(lab.Backend);
        return (c.GetProperty("delaysStarted").GetInt64(), c.GetProperty("delaysCancelled").GetInt64());
    }

    [Fact]
    public async Task Serial_calls_stop_at_the_deadline_the_pending_one_is_cancelled_and_the_next_never_starts()
    {
        var before = await BackendDelaysAsync();
        // Three 1,000 ms calls in a 1,500 ms budget: #1 completes, #2 is cancelled at 1.5 s, #3 must never start.
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, "/pwg/serial-sync?delayMs=1000&budgetMs=1500"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal((1, 1, 1), (problem.GetProperty("completed").GetInt32(), problem.GetProperty("cancelled").GetInt32(), problem.GetProperty("notStarted").GetInt32()));
        Assert.True(await Eventually.TrueAsync(async () => (await BackendDelaysAsync()).Cancelled == before.Cancelled + 1, TimeSpan.FromSeconds(10)),
            "the backend never observed the cancellation of the pending call");
        // Long after call #3 would have started, the backend has still seen only two.
        await Task.Delay(1_200);
        Assert.Equal(before.Started + 2, (await BackendDelaysAsync()).Started);
    }

    [Fact]
    public async Task Parallel_calls_are_all_cancelled_when_the_budget_runs_out()
    {
        var before = await BackendDelaysAsync();
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, "/pwg/parallel-async?delayMs=5000&budgetMs=300"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(3, problem.GetProperty("cancelled").GetInt32());
        Assert.True(await Eventually.TrueAsync(async () => (await BackendDelaysAsync()).Cancelled == before.Cancelled + 3, TimeSpan.FromSeconds(10)),
            "the backend did not observe three cancellations");
    }

    [Fact]
    public async Task The_server_wide_request_timeout_applies_to_every_style()
    {
        await using var server = await lab.StartServerAsync(("RequestTimeoutMs", "400"));
        foreach (var endpoint in new[] { "sync", "sync-over-async", "async", "apm" })
        {
            using var slow = await lab.Http.GetAsync(new Uri(server.Url, $"/{endpoint}?delayMs=3000"));
            using var quick = await lab.Http.GetAsync(new Uri(server.Url, $"/{endpoint}?delayMs=10"));
            Assert.Equal((HttpStatusCode.GatewayTimeout, HttpStatusCode.OK), (slow.StatusCode, quick.StatusCode));
        }

        var counters = await lab.CountersAsync(server);
        Assert.Equal(4, counters.GetProperty("timedOutRequests").GetInt64());
        Assert.Equal(4, counters.GetProperty("backendCallsCancelled").GetInt64());
    }
}
