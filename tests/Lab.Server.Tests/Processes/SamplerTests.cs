using System.Net.Http.Json;
using Lab.Contracts;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>Telemetry that starvation cannot starve: the sampler runs on its own thread, not the pool.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class SamplerTests(LabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public async Task The_sampler_keeps_its_interval_while_every_pool_thread_is_blocked()
    {
        const int IntervalMs = 100;
        var path = SampleFile.NewPath();
        var maxThreads = Environment.ProcessorCount;
        // HttpClient.Send blocks purely only on an already pooled connection: opening a new one runs on the
        // thread pool, which a capped, fully blocked pool can never give it (a deadlock, measured). So the
        // server opens its connections before it reports ready.
        await using var server = await lab.StartServerAsync(
            ("MaxWorkerThreads", maxThreads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("PrewarmConnections", (3 * maxThreads).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("SampleIntervalMs", IntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("SampleFile", path));
        Assert.Equal(3 * maxThreads, (await lab.CountersAsync(server)).GetProperty("openConnections").GetInt64());

        // Three blocking requests per pool thread: every thread is held and the rest wait in the pool's queue.
        var burst = Enumerable.Range(0, 3 * maxThreads)
            .Select(_ => lab.Http.GetAsync(new Uri(server.Url, "/sync?delayMs=1500&items=1")))
            .ToArray();
        var responses = await Task.WhenAll(burst);
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));

        var samples = SampleFile.Read(path);
        var stalled = samples.Where(s => s.ThreadPoolThreadCount >= maxThreads && s.ThreadPoolQueueLength > 0 && s.ActiveRequests > 0).ToArray();
        Assert.True(stalled.Length >= 10, $"expected at least 1 s of samples with all {maxThreads} pool threads busy and work queued, found {stalled.Length}");

        Assert.Equal(Enumerable.Range(1, samples.Count).Select(i => (long)i), samples.Select(s => s.Seq));
        // The sampler's own grid, measured against its interval — relative bounds, wide enough for a loaded 2-core
        // machine, not wall-clock ones: while the pool was stalled it kept ticking at about its interval. A sampler on
        // the pool (a timer callback) would wait for a thread as long as a blocked request holds one — fifteen
        // intervals here — and lose the stall's samples; only the machine can delay a dedicated thread, and then by
        // scheduling slices, not by ten intervals.
        var stalledSeqs = stalled.Select(s => s.Seq).ToHashSet();
        var gaps = samples.Zip(samples.Skip(1), (a, b) => (Gap: b.MonoMs - a.MonoMs, InStall: stalledSeqs.Contains(a.Seq) && stalledSeqs.Contains(b.Seq)))
            .ToArray();
        var stallGaps = gaps.Where(g => g.InStall).Select(g => g.Gap).Order().ToArray();
        Assert.True(stallGaps.Length >= 5, $"only {stallGaps.Length} pairs of consecutive samples during the stall");
        var median = stallGaps[stallGaps.Length / 2];
        var p90 = stallGaps[(int)(stallGaps.Length * 0.9)];
        var maxGap = gaps.Max(g => g.Gap);
        output.WriteLine($"{stallGaps.Length} gaps while stalled: median {median:0.0} ms, p90 {p90:0.0} ms, max {stallGaps[^1]:0.0} ms (interval {IntervalMs} ms); max overall {maxGap:0.0} ms");
        Assert.True(median >= 0.5 * IntervalMs && median <= 2 * IntervalMs,
            $"the median gap while stalled was {median:0} ms, {median / IntervalMs:0.0} intervals; expected 0.5 to 2 intervals of {IntervalMs} ms");
        Assert.True(maxGap <= 10 * IntervalMs, $"a gap of {maxGap:0} ms is {maxGap / IntervalMs:0.0} intervals of {IntervalMs} ms: the sampler itself stalled");

        // The HTTP buffer holds the same samples, each once, for a client that could not ask in time.
        var page = await lab.Http.GetFromJsonAsync<SamplePage>(new Uri(server.Url, "/lab/samples?after=0&max=10000"), ContractsJson.Default.SamplePage);
        var fromFile = samples.ToDictionary(s => s.Seq);
        Assert.Equal(1, page!.FirstAvailableSeq);
        Assert.All(page.Samples.Where(s => fromFile.ContainsKey(s.Seq)), s => Assert.Equal(fromFile[s.Seq], s));
        Assert.Equal(page.Samples.Count, page.Samples.Select(s => s.Seq).Distinct().Count());
        File.Delete(path);
    }

    [Fact]
    public async Task Samples_carry_memory_cpu_and_request_figures()
    {
        await using var server = await lab.StartServerAsync(("SampleIntervalMs", "50"));
        using (await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=10"))) { }
        SamplePage? page = null;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            page = await lab.Http.GetFromJsonAsync<SamplePage>(new Uri(server.Url, "/lab/samples?after=0"), ContractsJson.Default.SamplePage);
            return page!.Samples.Count > 0 && page.Samples[^1].BackendOpenConnections >= 1;
        }, TimeSpan.FromSeconds(30)), "no sample recorded the backend connection");
        var last = page!.Samples[^1];

        Assert.True(last.WorkingSetBytes > 10_000_000, $"RSS {last.WorkingSetBytes}");
        Assert.True(last.VirtualBytes > last.WorkingSetBytes);
        Assert.True(last.PrivateBytes > 0);
        Assert.True(last.ProcessThreadCount > last.ThreadPoolThreadCount);
        Assert.True(last.GcHeapBytes > 0);
        Assert.True(last.CpuTimeS > 0);
        Assert.True(last.ThreadPoolCompletedWorkItems > 0);
        Assert.True(last.UnixMs > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        Assert.True(last.BackendOpenConnections >= 1, "the pooled backend connection should be counted");
    }
}
