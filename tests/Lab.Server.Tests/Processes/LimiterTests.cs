using System.Net;

namespace Lab.Server.Tests.Processes;

/// <summary>C3: the 503 comes from the concurrency limiter's queue, never from Kestrel alone.</summary>
[Collection(LabCollection.Name)]
public sealed class LimiterTests(LabFixture lab)
{
    private async Task<HttpStatusCode[]> BurstAsync(Uri server, int requests, int delayMs)
    {
        var tasks = Enumerable.Range(0, requests).Select(async _ =>
        {
            using var response = await lab.Http.GetAsync(new Uri(server, $"/async?delayMs={delayMs}&items=1"));
            return response.StatusCode;
        });
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task A_limit_of_4_with_a_queue_of_4_answers_8_requests_and_rejects_12_of_20_with_503()
    {
        await using var server = await lab.StartServerAsync(("ConcurrencyLimit", "4"), ("QueueLimit", "4"));
        // 2 s per request: all 20 arrive while the first 4 still hold their permits.
        var codes = await BurstAsync(server.Url, 20, 2_000);

        Assert.Equal(8, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(12, codes.Count(c => c == HttpStatusCode.ServiceUnavailable));
        var counters = await lab.CountersAsync(server);
        Assert.Equal(12, counters.GetProperty("rejectedRequests").GetInt64());
    }

    [Fact]
    public async Task Without_the_limiter_kestrel_never_answers_503()
    {
        var codes = await BurstAsync(lab.Server.Url, 50, 500);
        Assert.All(codes, c => Assert.Equal(HttpStatusCode.OK, c));
    }

    [Fact]
    public async Task The_lab_endpoints_are_never_limited()
    {
        var (limited, busy) = await lab.StartFullyLimitedServerAsync();
        await using var server = limited;
        using var rejected = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=0"));
        using var info = await lab.Http.GetAsync(new Uri(server.Url, "/lab/info"));
        using var ok = await busy;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
