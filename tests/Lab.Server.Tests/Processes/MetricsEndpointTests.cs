using System.Net;
using System.Text;
using Lab.Server.Tests.Metrics;
using Lab.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Lab.Server.Tests.Processes;

/// <summary><c>GET /metrics</c> on real lab-server processes: promtool accepts it, and it shows what the lab does.</summary>
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

    [SkippableFact]
    public async Task A_live_server_exposition_passes_promtool_and_the_rules_promtool_does_not_check()
    {
        await using var server = await lab.StartServerAsync();
        foreach (var path in new[] { "/async?delayMs=10", "/sync?delayMs=10", "/sync-over-async?delayMs=10", "/fast", "/nope" })
        {
            using var _ = await lab.Http.GetAsync(new Uri(server.Url, path));
        }

        var text = await ScrapeAsync(server.Url);

        var (exit, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(exit == 0, $"promtool check metrics exited {exit}:\n{output}");
        Exposition.AssertRules(text);
        var e = Exposition.Parse(text);
        Assert.Equal("gauge", e.Types["dotnet_thread_pool_threads"]);
        Assert.Equal("gauge", e.Types["dotnet_thread_pool_queue_length"]);
        Assert.Equal("counter", e.Types["dotnet_thread_pool_work_item_count_total"]);
        Assert.Equal("histogram", e.Types["http_server_request_duration_seconds"]);
        Assert.Equal("histogram", e.Types["http_client_request_duration_seconds"]);
        Assert.Equal("gauge", e.Types["kestrel_active_connections"]);
        Assert.True(e.Value("dotnet_thread_pool_threads") >= 1);
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "async"), ("http_route", "/async"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "sync"), ("http_route", "/sync"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("lab_style", "sync-over-async"), ("lab_outcome", "ok")));
        Assert.Equal(1, e.Value("lab_requests_total", ("http_route", "unmatched"), ("lab_outcome", "client_error")));
        Assert.Equal(3, e.Value("lab_backend_calls_total"));
        Assert.Equal(server.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Samples.Single(s => s.Name == "target_info").Labels["process_pid"]);
        Assert.DoesNotContain(e.Samples, s => s.Labels.TryGetValue("http_route", out var r) && r == "/metrics" && s.Name.StartsWith("lab_", StringComparison.Ordinal));
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
        // Protobuf stores strings as plain UTF-8: the instrument names are in the payload under their OpenTelemetry names.
        var payload = Encoding.UTF8.GetString(push.Body);
        Assert.Contains("dotnet.thread_pool.thread.count", payload, StringComparison.Ordinal);
        Assert.Contains("lab.backend.calls", payload, StringComparison.Ordinal);
        await collector.StopAsync();
    }
}
