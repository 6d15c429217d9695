using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>404 and 405 from the lab's own endpoints answer with problem details, like every other error.</summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class RoutingProblemTests(ServerApp server) : IClassFixture<ServerApp>
{
    [Fact]
    public async Task An_unknown_path_is_a_404_problem_naming_the_path_and_where_the_endpoints_are_listed()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/no/such/thing");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("GET /no/such/thing", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("/lab/info", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/async")]
    [InlineData("DELETE", "/lab/info")]
    [InlineData("PUT", "/pwg/parallel-async")]
    public async Task A_wrong_method_is_a_405_problem_naming_the_method_the_path_answers(string method, string path)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"does not answer {method}; it answers GET", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_accepts_no_json_gets_the_same_words_as_plain_text()
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nope");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No lab endpoint answers GET /nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
