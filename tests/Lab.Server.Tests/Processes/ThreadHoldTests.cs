using System.Net;
using System.Net.Http.Json;
using Lab.Contracts;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C4's endpoint: dedicated blocked threads, bounded in number and time, visible in the samples.</summary>
[Collection(LabCollection.Name)]
public sealed class ThreadHoldTests(LabFixture lab)
{
    [Fact]
    public async Task Held_threads_show_in_the_process_thread_count_and_go_away_after_their_hold()
    {
        await using var server = await lab.StartServerAsync(("SampleIntervalMs", "50"));
        // The OS thread count of a sample taken after this call (the sampler runs every 50 ms).
        async Task<int> OsThreads()
        {
            var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            ServerSample? fresh = null;
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                var page = await lab.Http.GetFromJsonAsync<SamplePage>(new Uri(server.Url, "/lab/samples?after=0&max=10000"), ContractsJson.Default.SamplePage);
                fresh = page!.Samples.LastOrDefault(s => s.UnixMs > since);
                return fresh is not null;
            }, TimeSpan.FromSeconds(10)), "no new sample");
            return fresh!.ProcessThreadCount;
        }

        var before = await OsThreads();
        using var hold = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=200&holdMs=1500"));
        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);
        Assert.InRange(await OsThreads() - before, 195, 260);
        Assert.True(await Eventually.TrueAsync(async () => await OsThreads() - before < 20, TimeSpan.FromSeconds(15)), "held threads outlived their hold time");
    }

    [Theory]
    [InlineData("/threads/hold?count=1001", "count")]
    [InlineData("/threads/hold?count=0", "count")]
    [InlineData("/threads/hold?holdMs=120001", "holdMs")]
    public async Task Out_of_range_holds_are_refused(string pathAndQuery, string parameter)
    {
        using var response = await lab.Http.GetAsync(new Uri(lab.Server.Url, pathAndQuery));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_more_than_five_thousand_threads_are_held_at_once()
    {
        await using var server = await lab.StartServerAsync();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=1000&holdMs=3000"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=1&holdMs=3000"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("5000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
