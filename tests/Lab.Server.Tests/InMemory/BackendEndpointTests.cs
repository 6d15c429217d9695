using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>The backend role's lists, echo and failures, and the 400s for bad queries, on the real pipeline in memory.</summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class BackendEndpointTests(BackendApp backend) : IClassFixture<BackendApp>
{
    private readonly HttpClient _http = backend.CreateClient();

    [Theory]
    [InlineData("products", "product-3")]
    [InlineData("widgets", "widget-3")]
    [InlineData("gizmos", "gizmo-3")]
    public async Task Lists_return_the_requested_items_after_the_delay(string kind, string thirdName)
    {
        var sw = Stopwatch.StartNew();
        using var response = await _http.GetAsync($"/{kind}?delayMs=300&items=5");
        var elapsed = sw.Elapsed;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {elapsed.TotalMilliseconds} ms, before its 300 ms delay");
        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
        Assert.Equal(thirdName, body.GetProperty("items")[2].GetProperty("name").GetString());
        Assert.Equal("300", response.Headers.GetValues("X-Lab-Delay-Ms").Single());
    }

    [Fact]
    public async Task A_random_range_gives_delays_inside_it()
    {
        var delays = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await _http.GetAsync("/widgets?delayMs=10-60&items=1");
            delays.Add(int.Parse(response.Headers.GetValues("X-Lab-Delay-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.All(delays, d => Assert.InRange(d, 10, 60));
        Assert.True(delays.Distinct().Count() > 1, $"eight draws from 10-60 were all {delays[0]}");
    }

    [Fact]
    public async Task Echo_returns_the_uploaded_bytes()
    {
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);
        using var content = new ByteArrayContent(payload);
        using var response = await _http.PostAsync("/echo?delayMs=10", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Echo_refuses_uploads_over_ten_megabytes_and_stays_up()
    {
        using var content = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]);
        using var response = await _http.PostAsync("/echo", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("10 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var after = await _http.GetAsync("/products?delayMs=0");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    public async Task Fails_on_demand_with_the_requested_status(int status)
    {
        using var response = await _http.GetAsync($"/fail?status={status}&delayMs=5");
        Assert.Equal(status, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("/products?delayMs=-1", "delayMs")]
    [InlineData("/products?delayMs=60001", "delayMs")]
    [InlineData("/products?delayMs=abc", "delayMs")]
    [InlineData("/products?delayMs=900-100", "delayMs")]
    [InlineData("/widgets?items=100001", "items")]
    [InlineData("/gizmos?items=ten", "items")]
    [InlineData("/products?delayMs=1&delayMs=2", "delayMs")]
    [InlineData("/products?colour=red", "colour")]
    [InlineData("/fail?status=200", "status")]
    [InlineData("/fail?status=600", "status")]
    [InlineData("/echo?delayMs=99999", "delayMs")]
    public async Task Bad_queries_get_400_problem_details_naming_the_parameter(string pathAndQuery, string parameter)
    {
        using var response = pathAndQuery.StartsWith("/echo", StringComparison.Ordinal)
            ? await _http.PostAsync(pathAndQuery, new ByteArrayContent([1]))
            : await _http.GetAsync(pathAndQuery);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors do not name {parameter}: {problem}");
    }

    [Fact]
    public async Task A_list_over_the_item_cap_is_a_400_naming_the_cap()
    {
        using var response = await _http.GetAsync("/products?items=100001");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from 0 to 100000", problem.GetProperty("errors").GetProperty("items")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_largest_list_arrives_whole_and_well_formed()
    {
        using var response = await _http.GetAsync("/gizmos?delayMs=0&items=100000");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var items = body.GetProperty("items");

        Assert.Equal(100_000, items.GetArrayLength());
        Assert.Equal("gizmo-100000", items[99_999].GetProperty("name").GetString());
        Assert.Equal(100_000, items[99_999].GetProperty("id").GetInt32());
    }
}
