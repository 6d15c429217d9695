using System.Net;

namespace Lab.Server.Tests.Processes;

/// <summary>C11: a response that is never disposed keeps its connection; with a cap, the app runs out.</summary>
[Collection(LabCollection.Name)]
public sealed class LeakTests(LabFixture lab)
{
    [Fact]
    public async Task With_two_connections_the_leaky_endpoint_stops_after_two_requests()
    {
        await using var server = await lab.StartServerAsync(("MaxConnectionsPerServer", "2"));
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // The budget turns "hangs waiting for a connection" into a prompt 504.
            using var response = await lab.Http.GetAsync(new Uri(server.Url, "/leaky?delayMs=10&budgetMs=1500"));
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.GatewayTimeout, HttpStatusCode.GatewayTimeout], codes);
        // The whole app is out of connections now, well-behaved endpoints included.
        using var victim = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=10&budgetMs=1500"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, victim.StatusCode);
        var counters = await lab.CountersAsync(server);
        Assert.Equal(2, counters.GetProperty("leakedResponses").GetInt64());
        Assert.Equal(2, counters.GetProperty("openConnections").GetInt64());
    }

    [Fact]
    public async Task With_two_connections_the_disposing_endpoint_keeps_going()
    {
        await using var server = await lab.StartServerAsync(("MaxConnectionsPerServer", "2"));
        for (var i = 0; i < 8; i++)
        {
            using var response = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=10&budgetMs=1500"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var counters = await lab.CountersAsync(server);
        Assert.InRange(counters.GetProperty("openConnections").GetInt64(), 1, 2);
        Assert.Equal(0, counters.GetProperty("leakedResponses").GetInt64());
    }
}
