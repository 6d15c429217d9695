using System.Globalization;
using System.Net;
using System.Text;
using Lab.Server.Telemetry.Metrics;
using Lab.Server.Telemetry.Textfile;
using Lab.Server.Tests.Metrics;
using Lab.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Lab.Server.Tests.Processes;

/// <summary><c>GET /metrics</c> and the Prometheus textfile on real lab-server processes: promtool accepts both, and they show what the lab does.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class MetricsEndpointTests(LabFixture lab)
{
    private async Task<string> ScrapeAsync(Uri server)
    {
        using var response = await lab.Http.GetAsync(new Uri(server, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// A server with one limiter permit and a queue, after one request of each style; then one request holds the permit
    /// (a backend call of a minute) and a second waits in the limiter's queue, until the returned handles are disposed.
    /// </summary>
    private async Task<(RunningLabServer Server, HeldRequest Holder, HeldRequest Queued)> StartServerWithAQueuedRequestAsync(params (string Key, string Value)[] knobs)
    {
        var server = await lab.StartServerAsync([("ConcurrencyLimit", "1"), ("QueueLimit", "5"), .. knobs]);
        foreach (var path in new[] { "/async?delayMs=10", "/sync?delayMs=10", "/sync-over-async?delayMs=10", "/fast", "/nope" })
        {
            using var _ = await lab.Http.GetAsync(new Uri(server.Url, path));
        }

        var holder = new HeldRequest(lab.Http, new Uri(server.Url, "/async?delayMs=60000"));
        Assert.True(await Eventually.TrueAsync(async () => (await lab.CountersAsync(server)).GetProperty("backendCallsActive").GetInt64() == 1, TimeSpan.FromSeconds(30)),
            "the first request never took the only permit");
        var queued = new HeldRequest(lab.Http, new Uri(server.Url, "/async?delayMs=1"));
        Assert.True(await Eventually.TrueAsync(async () => (await lab.CountersAsync(server)).GetProperty("activeRequests").GetInt64() == 2, TimeSpan.FromSeconds(30)),
            "the second request never reached the limiter's queue");
        return (server, holder, queued);
    }

    [SkippableFact]
    public async Task A_live_server_exposition_passes_promtool_and_shows_every_name_the_readme_lists()
    {
        var (started, holder, queued) = await StartServerWithAQueuedRequestAsync();
        await using var server = started;
        string text;
        await using (holder)
        await using (queued)
        {
            text = await ScrapeAsync(server.Url);
        }

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}:\n{output}");
        Exposition.AssertRules(text);
        var e = Exposition.Parse(text);
        Assert.All(MetricNames.All, m => Assert.True(e.Types.TryGetValue(m.Name, out var type) && type == m.Type,
            $"{m.Name} should be a {m.Type} on /metrics (README table, MetricNames); found {(e.Types.TryGetValue(m.Name, out var t) ? t : "nothing")}"));
        Assert.All(RuntimeViews.Dropped, instrument => Assert.DoesNotContain(e.Types.Keys, k => k.StartsWith(instrument.Replace('.', '_'), StringComparison.Ordinal)));
        Assert.True(e.Value("lab_thread_pool_threads") >= 1);
        Assert.Equal(1, e.Of("aspnetcore_rate_limiting_queued_requests").Sum(s => s.Value));
        Assert.Equal(2, e.Value("lab_requests_active"));
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "async"), ("http_route", "/async"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "sync"), ("http_route", "/sync"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "sync-over-async"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("http_route", "unmatched"), ("lab_outcome", "client_error")));
        Assert.Equal(4, e.Value("lab_backend_calls_total"));
        Assert.Equal(server.ProcessId.ToString(CultureInfo.InvariantCulture), e.Samples.Single(s => s.Name == "target_info").Labels["process_pid"]);
        // A scrape is not load: no lab series and no http.server series carries the /metrics route.
        Assert.DoesNotContain(e.Samples, s => s.Labels.TryGetValue("http_route", out var r) && r == "/metrics");
    }

    [SkippableFact]
    public async Task The_textfile_passes_promtool_and_shares_names_and_types_with_metrics_and_is_removed_at_stop()
    {
        var dir = Directory.CreateTempSubdirectory("lab-textfile-").FullName;
        try
        {
            var path = Path.Combine(dir, "lab-server.prom");
            var (started, holder, queued) = await StartServerWithAQueuedRequestAsync(("PrometheusTextfile", path), ("SampleIntervalMs", "100"));
            await using var server = started;
            string textfile = "";
            Exposition onMetrics;
            await using (holder)
            await using (queued)
            {
                // Replaced every 100 ms by the sampler thread: soon it shows the two requests.
                Assert.True(await Eventually.TrueAsync(() => File.Exists(path)
                        && (textfile = File.ReadAllText(path)).Contains("lab_requests_active{lab_role=\"server\",process_pid=\"" + server.ProcessId.ToString(CultureInfo.InvariantCulture) + "\"} 2\n", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(30)), $"the textfile never showed 2 requests in flight:\n{textfile}");
                onMetrics = Exposition.Parse(await ScrapeAsync(server.Url));
            }

            var (exit, output) = await Promtool.CheckMetricsAsync(textfile);
            Assert.True(exit == 0, $"promtool check metrics exited {exit} on the textfile:\n{output}\n{textfile}");
            var e = Exposition.Parse(textfile);
            Assert.Equal(TextfileMetrics.All.Select(m => (m.Name, m.Type)), e.Types.Select(t => (t.Key, t.Value)));
            Assert.All(TextfileMetrics.All.Where(m => m.OnMetrics), m => Assert.True(onMetrics.Types.TryGetValue(m.Name, out var type) && type == m.Type,
                $"{m.Name} is a {m.Type} in the textfile, but {(onMetrics.Types.TryGetValue(m.Name, out var t) ? "a " + t : "absent")} on /metrics"));
            Assert.Equal(1, e.Value("aspnetcore_rate_limiting_queued_requests"));
            Assert.True(e.Value("lab_thread_pool_threads") >= 1);
            Assert.InRange(e.Value(TextfileMetrics.TimestampName), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
            Assert.Equal(["lab-server.prom"], Directory.GetFiles(dir).Select(Path.GetFileName));

            Assert.Equal(0, await server.StopAsync(TimeSpan.FromSeconds(30)));
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public async Task The_backend_role_exposes_its_delays_and_passes_promtool()
    {
        using (await lab.Http.GetAsync(new Uri(lab.Backend.Url, "/products?delayMs=1"))) { }

        var text = await ScrapeAsync(lab.Backend.Url);

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}:\n{output}");
        Exposition.AssertRules(text);
        var e = Exposition.Parse(text);
        Assert.True(e.Value("lab_delays_total", ("lab_result", "completed")) >= 1);
        Assert.DoesNotContain("lab_backend_calls_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limiter_503s_show_as_rejected_requests_and_the_scrape_itself_is_never_limited()
    {
        var (limited, permit) = await lab.StartFullyLimitedServerAsync();
        await using var server = limited;
        Exposition during;
        await using (permit)
        {
            using (var rejected = await lab.Http.GetAsync(new Uri(server.Url, "/async?delayMs=0")))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
            }

            during = Exposition.Parse(await ScrapeAsync(server.Url));
        }

        Assert.Equal(1, during.Value("lab_rejected_requests_total"));
        Assert.Equal(1, during.Value("lab_requests_total", ("lab_outcome", "rejected")));
        Assert.Equal(1, during.Value("lab_backend_active_calls"));
        Assert.Equal(1, during.Value("aspnetcore_rate_limiting_requests_total", ("aspnetcore_rate_limiting_result", "global_limiter")));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_same_metrics_are_pushed_to_a_collector()
    {
        var received = new TaskCompletionSource<(string ContentType, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.TrySetResult((request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorUrl = collector.Urls.Single();

        await using var server = await lab.StartServerAsync(("OtlpEndpoint", collectorUrl), ("OtlpExportIntervalMs", "200"));
        var push = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("application/x-protobuf", push.ContentType);
        // Protobuf stores strings as plain UTF-8: the instrument names are in the payload under their OpenTelemetry
        // names, after the same Views as /metrics (the runtime's miscounted thread count dropped, *.count gauges renamed).
        var payload = Encoding.UTF8.GetString(push.Body);
        Assert.Contains(LabMeter.ThreadsInstrument, payload, StringComparison.Ordinal);
        Assert.Contains("lab.backend.calls", payload, StringComparison.Ordinal);
        Assert.Contains("dotnet.process.cpus", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet.thread_pool.thread.count", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet.process.cpu.count", payload, StringComparison.Ordinal);
        await collector.StopAsync();
    }
}
