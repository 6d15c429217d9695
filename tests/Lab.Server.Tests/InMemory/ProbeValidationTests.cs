using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Server.Server.Probes;
using Lab.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>The C15–C17 probes before they measure anything: their queries are validated, and a failing API under test is a 500 naming the exception.</summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class ProbeValidationTests(ServerApp server) : IClassFixture<ServerApp>
{
    private readonly HttpClient _http = server.CreateClient();

    [Theory]
    [InlineData("/probe/apm-setup?method=beginResponse&setupMs=-1", "setupMs")]
    [InlineData("/probe/apm-setup?method=beginResponse&setupMs=10001", "setupMs")]
    [InlineData("/probe/apm-setup?method=beginResponse&setupMs=1.5", "setupMs")]
    [InlineData("/probe/apm-setup?method=beginGetResponse", "method")]
    [InlineData("/probe/apm-setup?setupMs=1500", "method")]
    [InlineData("/probe/apm-setup?method=syncResponse&delayMs=1", "delayMs")]
    [InlineData("/probe/apm-starved?method=beginResponse&holdMs=99", "holdMs")]
    [InlineData("/probe/apm-starved?method=beginResponse&holdMs=30001", "holdMs")]
    [InlineData("/probe/apm-starved?method=syncResponse", "method")]
    [InlineData("/probe/apm-starved?holdMs=2000", "method")]
    [InlineData("/probe/apm-mix?sequence=syncStream-syncResponse", "sequence")]
    [InlineData("/probe/apm-mix", "sequence")]
    [InlineData("/probe/apm-mix?sequence=beginStream-beginResponse&sequence=beginStream-syncResponse", "sequence")]
    public async Task Bad_probe_queries_get_400_problem_details_naming_the_parameter(string pathAndQuery, string parameter)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors do not name {parameter}: {problem}");
        Assert.False(response.Headers.Contains(ServerTiming.HeaderName), "a rejected query measured nothing");
    }

    [Theory]
    [InlineData("/probe/apm-setup?setupMs=10001&method=beginResponse", "0 to 10000")]
    [InlineData("/probe/apm-starved?holdMs=50&method=beginResponse", "100 to 30000")]
    [InlineData("/probe/apm-setup?setupMs=1", "required; one of beginResponse, beginRequestStream, syncResponse")]
    [InlineData("/probe/apm-mix?sequence=x", "beginStream-syncResponse, syncStream-beginResponse, beginResponse-syncResponse, beginStream-beginResponse")]
    public async Task The_400_states_the_range_or_the_choices(string pathAndQuery, string expected)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/probe/apm-setup?setupMs=0&method=beginResponse")]
    [InlineData("/probe/apm-setup?setupMs=0&method=syncResponse")]
    [InlineData("/probe/apm-mix?sequence=beginStream-beginResponse")]
    public async Task A_probe_whose_request_fails_answers_500_naming_the_exception_with_its_measurements(string pathAndQuery)
    {
        // This in-memory server's backend refuses connections: HttpWebRequest reports that as a WebException.
        using var response = await _http.GetAsync(pathAndQuery);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("The API under test threw", problem.GetProperty("title").GetString());
        Assert.Equal("System.Net.WebException", problem.GetProperty("exceptionType").GetString());
        Assert.Contains("threw System.Net.WebException: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, ServerTimingValues.Of(response)["threw"]);
    }
}
