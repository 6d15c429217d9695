using System.Net;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C3: the 503 comes from the concurrency limiter's queue, never from Kestrel alone.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class LimiterTests(LabFixture lab)
{
    [Fact]
    public async Task A_limit_of_4_with_a_queue_of_4_admits_8_of_20_requests_and_rejects_12_with_503()
    {
        await using var server = await lab.StartServerAsync(("ConcurrencyLimit", "4"), ("QueueLimit", "4"));
        using var release = new CancellationTokenSource();
        // Backend calls of a minute: the permits stay taken until the test releases them, however slowly the 20 arrive.
        var requests = Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                using var response = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=60000&items=1"), release.Token);
                return response.StatusCode;
            }
            catch (OperationCanceledException) when (release.IsCancellationRequested)
            {
                return (HttpStatusCode?)null;
            }
        }).ToArray();

        // 4 running (each holding a backend call) and 4 queued; every other request already answered.
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var c = await lab.CountersAsync(server);
            return c.GetProperty("rejectedRequests").GetInt64() == 12 && c.GetProperty("backendCallsActive").GetInt64() == 4
                && requests.Count(r => r.IsCompleted) >= 12;
        }, TimeSpan.FromSeconds(60)), "the limiter never settled at 4 running, 4 queued, 12 rejected");
        var answered = requests.Where(r => r.IsCompleted).Select(r => r.Result).ToArray();
        Assert.Equal(12, answered.Length);
        Assert.All(answered, c => Assert.Equal(HttpStatusCode.ServiceUnavailable, c));
        Assert.Equal(8, (await lab.CountersAsync(server)).GetProperty("activeRequests").GetInt64());

        // Released (the 8 cancelled), the permits are free again: the next request runs.
        await release.CancelAsync();
        await Task.WhenAll(requests);
        Assert.True(await Eventually.TrueAsync(async () => (await lab.CountersAsync(server)).GetProperty("activeRequests").GetInt64() == 0, TimeSpan.FromSeconds(30)),
            "the cancelled requests never left the server");
        using var next = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=10&items=1"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(12, (await lab.CountersAsync(server)).GetProperty("rejectedRequests").GetInt64());
    }

    [Fact]
    public async Task Without_the_limiter_kestrel_never_answers_503()
    {
        var codes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, "/async?delayMs=500&items=1"));
            return response.StatusCode;
        }));
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
    }

    [Fact]
    public async Task The_lab_endpoints_are_never_limited()
    {
        var (limited, permit) = await lab.StartFullyLimitedServerAsync();
        await using var server = limited;
        await using (permit)
        {
            using var rejected = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=0"));
            using var info = await lab.Http.GetAsync(new Uri(server.Url, "/lab/info"));
            using var metrics = await lab.Http.GetAsync(new Uri(server.Url, "/metrics"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }
    }
}
