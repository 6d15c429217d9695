using System.Net;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C11: a response that is never disposed keeps its connection; with a cap, the app runs out.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class LeakTests(LabFixture lab)
{
    // Requests expected to succeed get a budget no machine needs; requests that must wait for a connection that
    // never frees get a short one, which turns "hangs" into a prompt 504.
    private const string Plenty = "budgetMs=60000";
    private const string Short = "budgetMs=1000";

    [Fact]
    public async Task With_two_connections_the_leaky_endpoint_stops_after_two_requests()
    {
        await using var server = await lab.StartServerAsync(("MaxConnectionsPerServer", "2"));
        var codes = new List<HttpStatusCode>();
        foreach (var budget in new[] { Plenty, Plenty, Short, Short })
        {
            using var response = await lab.Http.GetAsync(new Uri(server.Url, $"/leaky?delayMs=10&{budget}"));
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.GatewayTimeout, HttpStatusCode.GatewayTimeout], codes);
        // The whole app is out of connections now, well-behaved endpoints included.
        using var victim = await lab.Http.GetAsync(new Uri(server.Url, $"/async?delayMs=10&{Short}"));
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
            using var response = await lab.Http.GetAsync(new Uri(server.Url, $"/async?delayMs=10&{Plenty}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var counters = await lab.CountersAsync(server);
        Assert.InRange(counters.GetProperty("openConnections").GetInt64(), 1, 2);
        Assert.Equal(0, counters.GetProperty("leakedResponses").GetInt64());
    }
}
