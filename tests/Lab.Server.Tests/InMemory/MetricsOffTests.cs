using System.Net;
using Lab.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>With Lab:Metrics=off there is no MeterProvider, and /metrics says so instead of serving nothing.</summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class MetricsOffTests
{
    [Theory]
    [InlineData("server")]
    [InlineData("backend")]
    public async Task With_metrics_off_the_path_answers_404_and_says_why(string role)
    {
        await using var app = new LabApp(role, ("Metrics", "off"));
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Lab:Metrics=off", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
