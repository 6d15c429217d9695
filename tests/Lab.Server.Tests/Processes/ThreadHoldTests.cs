using System.Net;
using System.Net.Http.Json;
using Lab.Contracts;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>C4's endpoint: dedicated blocked threads, bounded in number and time, visible in the samples.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
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
            }, TimeSpan.FromSeconds(30)), "no new sample");
            return fresh!.ProcessThreadCount;
        }

        var before = await OsThreads();
        // 5 s: long enough that all 200 are still held when the next sample is read, even on a loaded machine.
        using var hold = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=200&holdMs=5000"));
        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);
        Assert.InRange(await OsThreads() - before, 195, 260);
        Assert.True(await Eventually.TrueAsync(async () => await OsThreads() - before < 20, TimeSpan.FromSeconds(60)), "held threads outlived their hold time");
    }

    [Fact]
    public async Task No_more_than_five_thousand_threads_are_held_at_once()
    {
        await using var server = await lab.StartServerAsync();
        // The longest hold there is: starting 5,000 threads took longer than a 3 s hold on a loaded machine, and the
        // first thousand had already ended when the refused request came. None ends before the server is stopped.
        for (var i = 0; i < 5; i++)
        {
            using var ok = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=1000&holdMs=120000"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await lab.Http.GetAsync(new Uri(server.Url, "/threads/hold?count=1&holdMs=120000"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("would exceed 5000 held at once (5000 now)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
