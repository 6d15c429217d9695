using System.Globalization;
using Lab.Contracts;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>
/// A real Prometheus through a real stall: it scrapes a lab-server's <c>/metrics</c> and node_exporter (serving the
/// textfile the sampler thread writes) every second while a cold sync burst starves the server's thread pool. The
/// textfile path must keep its series; <c>/metrics</c>, a request like any other, is expected to go blind.
/// </summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class PrometheusStallTests(LabFixture lab, ITestOutputHelper output)
{
    /// <summary>Concurrent <c>/sync?delayMs=500</c> requests, each sent once: a cold pool of two threads takes many seconds to serve them.</summary>
    private const int BurstRequests = 200;

    /// <summary>A sample with at least this many queued work items is starved.</summary>
    private const int StarvedQueueLength = 10;

    private static readonly TimeSpan s_burstDeadline = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public async Task The_textfile_path_keeps_its_thread_pool_series_through_a_stall_that_blinds_metrics()
    {
        await using var stack = await PrometheusStack.StartNodeExporterAsync();
        var samplePath = stack.PathOf("samples.jsonl");
        // Defaults otherwise: the pool at its minimum (the processor count), no prewarmed backend connections.
        await using var server = await lab.StartServerAsync(
            ("PrometheusTextfile", Path.Combine(stack.TextfileDirectory, "lab-server.prom")),
            ("SampleFile", samplePath),
            ("SampleIntervalMs", "100"));
        await stack.StartPrometheusAsync(server.Url);

        var now = () => DateTimeOffset.UtcNow;
        Assert.True(await Eventually.TrueAsync(async () =>
                await stack.QueryScalarAsync($"up{{job=\"{PrometheusStack.MetricsJob}\"}} + on() up{{job=\"{PrometheusStack.TextfileJob}\"}}", now()) == 2
                && await stack.QueryScalarAsync(Series(PrometheusStack.TextfileJob), now()) is not null,
            TimeSpan.FromSeconds(60), pollMs: 500), "Prometheus never had both targets up with the textfile's series");
        await Task.Delay(TimeSpan.FromSeconds(3 * PrometheusStack.ScrapeIntervalS));

        var burstStarted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ok = await BurstAsync(server.Url);

        // The lab's own sampler (a dedicated thread, every 100 ms) says when the burst starved the pool.
        var samples = SampleFile.Read(samplePath);
        var starved = samples.Where(s => s.UnixMs >= burstStarted && s.ThreadPoolQueueLength >= StarvedQueueLength).ToArray();
        Assert.True(starved.Length > 0, $"the burst never queued {StarvedQueueLength} work items: the premise (a starved pool) did not hold");
        var from = DateTimeOffset.FromUnixTimeMilliseconds(starved[0].UnixMs);
        var to = DateTimeOffset.FromUnixTimeMilliseconds(starved[^1].UnixMs);
        var samplerMaxQueue = starved.Max(s => s.ThreadPoolQueueLength);
        Assert.True(to - from >= TimeSpan.FromSeconds(5),
            $"the pool was starved for only {(to - from).TotalSeconds:0.0} s (queue >= {StarvedQueueLength}); the test needs a stall of several scrape intervals");

        // Wait until both jobs have been scraped well past the stall (a late /metrics scrape lands after it).
        Assert.True(await Eventually.TrueAsync(async () =>
                await stack.QueryScalarAsync($"timestamp({Series(PrometheusStack.TextfileJob)})", now()) is { } t && t > (to.ToUnixTimeMilliseconds() / 1000.0) + 3,
            TimeSpan.FromSeconds(60), pollMs: 500), "Prometheus stopped scraping node_exporter after the stall");
        await Task.Delay(TimeSpan.FromSeconds(3 * PrometheusStack.ScrapeIntervalS));

        var textfile = await FaredAsync(stack, PrometheusStack.TextfileJob, from, to);
        var metrics = await FaredAsync(stack, PrometheusStack.MetricsJob, from, to);
        output.WriteLine($"burst: {BurstRequests} x /sync?delayMs=500, {ok} answered 2xx; starved (queue >= {StarvedQueueLength}) for {(to - from).TotalSeconds:0.0} s; " +
            $"sampler: {starved.Length} samples, max queue {samplerMaxQueue}, threads {starved[0].ThreadPoolThreadCount} -> {starved[^1].ThreadPoolThreadCount}");
        output.WriteLine($"textfile (node_exporter): {textfile}");
        output.WriteLine($"/metrics:                 {metrics}");

        var interval = PrometheusStack.ScrapeIntervalS;
        // Two intervals is one missed scrape; the half second is room for Prometheus' own timestamp jitter.
        Assert.True(textfile.LargestGapS <= (2 * interval) + 0.5,
            $"the textfile path's thread-pool series had a gap of {textfile.LargestGapS:0.0} s during the stall (allowed: two {interval} s scrape intervals)");
        Assert.True(textfile.MaxQueue >= samplerMaxQueue / 2.0,
            $"through node_exporter Prometheus saw a queue of at most {textfile.MaxQueue}, the sampler {samplerMaxQueue}");
        // /metrics is only reported, and held to a generous ratio: it must not have done better than half as well.
        Assert.True(metrics.LargestGapS >= 2 * Math.Max(textfile.LargestGapS, interval),
            $"/metrics lost its series for only {metrics.LargestGapS:0.0} s during a {(to - from).TotalSeconds:0.0} s stall (textfile: {textfile.LargestGapS:0.0} s): " +
            "either the stall no longer blinds a scrape, or the README's account of it is out of date");
    }

    private static string Series(string job) => $"lab_thread_pool_queue_length{{job=\"{job}\"}}";

    /// <summary>Sends the burst and waits for every answer (bounded by <see cref="s_burstDeadline"/>); returns how many were 2xx.</summary>
    private static async Task<int> BurstAsync(Uri server)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue })
        {
            Timeout = s_burstDeadline,
        };
        using var deadline = new CancellationTokenSource(s_burstDeadline);
        var url = new Uri(server, "/sync?delayMs=500");
        var requests = Enumerable.Range(0, BurstRequests).Select(async _ =>
        {
            try
            {
                using var response = await http.GetAsync(url, deadline.Token);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return false;
            }
        }).ToArray();
        var results = await Task.WhenAll(requests);
        return results.Count(r => r);
    }

    /// <summary>What Prometheus stored for one job over the starved window.</summary>
    private static async Task<Fared> FaredAsync(PrometheusStack stack, string job, DateTimeOffset from, DateTimeOffset to)
    {
        var margin = TimeSpan.FromSeconds(10 * PrometheusStack.ScrapeIntervalS);
        // timestamp() at a step finer than the scrape interval yields every stored sample's own time; steps after a
        // failed scrape have none (Prometheus marks the series stale).
        var points = await stack.QueryRangeAsync($"timestamp({Series(job)})", from - margin, to + margin, 0.25);
        double start = from.ToUnixTimeMilliseconds() / 1000.0, end = to.ToUnixTimeMilliseconds() / 1000.0;
        // The margins' ends stand in for samples: no sample from the window to a margin's end is a gap that long.
        var times = points.Select(p => p.Value).Distinct()
            .Append(start - margin.TotalSeconds).Append(end + margin.TotalSeconds)
            .Order().ToArray();
        var largestGap = times.Zip(times.Skip(1), (a, b) => (a, b))
            .Where(p => p.b >= start && p.a <= end)
            .Max(p => p.b - p.a);
        var windowS = Math.Ceiling(end - start) + PrometheusStack.ScrapeIntervalS;
        var range = $"[{windowS.ToString(CultureInfo.InvariantCulture)}s]";
        var upZero = await stack.QueryScalarAsync($"count_over_time(up{{job=\"{job}\"}}{range}) - sum_over_time(up{{job=\"{job}\"}}{range})", to);
        var scrapes = await stack.QueryScalarAsync($"count_over_time(up{{job=\"{job}\"}}{range})", to);
        var maxQueue = await stack.QueryScalarAsync($"max_over_time({Series(job)}{range})", to);
        return new Fared(largestGap, (int)(upZero ?? 0), (int)(scrapes ?? 0), maxQueue ?? 0);
    }

    private sealed record Fared(double LargestGapS, int ScrapesUpZero, int Scrapes, double MaxQueue)
    {
        public override string ToString() =>
            $"largest gap {LargestGapS:0.0} s, {ScrapesUpZero} of {Scrapes} scrapes with up = 0, max queue length seen {MaxQueue:0}";
    }
}
