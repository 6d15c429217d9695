using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>What the server role answers before (or instead of) calling the backend: 400s, caps, the fast path, an unreachable backend.</summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class ServerValidationTests(ServerApp server) : IClassFixture<ServerApp>
{
    private readonly HttpClient _http = server.CreateClient();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData("/sync?delayMs=abc", "delayMs")]
    [InlineData("/async?items=-1", "items")]
    [InlineData("/async?items=100001", "items")]
    [InlineData("/apm?kind=sprockets", "kind")]
    [InlineData("/sync-over-async?budgetMs=0", "budgetMs")]
    [InlineData("/pwg/serial-sync?calls=0", "calls")]
    [InlineData("/pwg/parallel-async?calls=101", "calls")]
    [InlineData("/cpu/sync?workMs=10001", "workMs")]
    [InlineData("/cpu/async?workUnits=0", "workUnits")]
    [InlineData("/cpu/sync?workMs=10&workUnits=100", "workUnits")]
    [InlineData("/fast?delayMs=1", "delayMs")]
    [InlineData("/lab/samples?after=-1", "after")]
    [InlineData("/lab/samples?max=0", "max")]
    [InlineData("/threads/hold?count=1001", "count")]
    [InlineData("/threads/hold?count=0", "count")]
    [InlineData("/threads/hold?holdMs=120001", "holdMs")]
    public async Task Bad_queries_get_400_problem_details_naming_the_parameter(string pathAndQuery, string parameter)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors do not name {parameter}: {problem}");
    }

    [Theory]
    [InlineData("/pwg/parallel-async?calls=100&items=100000", "100 × 100000 = 10,000,000")]
    [InlineData("/pwg/serial-sync?calls=3&items=40000", "3 × 40000 = 120,000")]
    public async Task A_fan_out_asking_the_backend_for_more_than_the_cap_is_a_400_naming_the_cap(string pathAndQuery, string product)
    {
        var before = (await GetAsync("/lab/counters")).Body.GetProperty("backendCalls").GetInt64();

        var (status, problem) = await GetAsync(pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = problem.GetProperty("errors").GetProperty("items")[0].GetString();
        Assert.Contains(product, error, StringComparison.Ordinal);
        Assert.Contains("cap of 100,000 items per request", error, StringComparison.Ordinal);
        Assert.Equal(before, (await GetAsync("/lab/counters")).Body.GetProperty("backendCalls").GetInt64());
    }

    [Fact]
    public async Task A_fan_out_at_the_cap_is_accepted()
    {
        // 100 × 1,000 is exactly the cap: accepted, then 502 because this in-memory server has no backend.
        var (status, _) = await GetAsync("/pwg/parallel-async?calls=100&items=1000&delayMs=0");
        Assert.Equal(HttpStatusCode.BadGateway, status);
    }

    [Fact]
    public async Task The_fast_endpoint_calls_nothing()
    {
        var before = (await GetAsync("/lab/counters")).Body.GetProperty("backendCalls").GetInt64();
        var (status, body) = await GetAsync("/fast");
        var after = (await GetAsync("/lab/counters")).Body.GetProperty("backendCalls").GetInt64();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("calls").GetArrayLength());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task An_unreachable_backend_gives_502_naming_it()
    {
        var (status, problem) = await GetAsync("/async?delayMs=0");
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("Backend unreachable", problem.GetProperty("title").GetString());
    }
}
