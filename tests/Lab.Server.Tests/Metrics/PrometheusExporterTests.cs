using System.Diagnostics.Metrics;
using Lab.Server.Telemetry.Metrics;
using Lab.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lab.Server.Tests.Metrics;

/// <summary>
/// The exposition of a fixed set of instruments, through the real OpenTelemetry SDK (MeterProvider, pull
/// reader, aggregation) and the lab's exporter, compared with the expected text line by line.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class PrometheusExporterTests
{
    private static (MeterProvider Provider, PrometheusPullExporter Exporter) Provider(string meterName)
    {
        var exporter = new PrometheusPullExporter();
        var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddAttributes([new("service.name", "lab-test"), new("lab.role", "server")]))
            .AddMeter(meterName)
            .AddReader(new BaseExportingMetricReader(exporter))
            .Build();
        return (provider, exporter);
    }

    [Fact]
    public void A_fixed_set_of_instruments_is_exposed_exactly_as_expected()
    {
        var name = "Lab.Test.Golden." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name, "2.0");
        var (provider, exporter) = Provider(name);
        using var _ = provider;

        var requests = meter.CreateCounter<long>("lab.requests", "{request}", "Requests answered.");
        requests.Add(3, new("lab.style", "sync"), new("lab.outcome", "ok"));
        requests.Add(2, new("lab.style", "async"), new("lab.outcome", "ok"));
        requests.Add(1, new("lab.style", "sync"), new("lab.outcome", "rejected"));
        meter.CreateObservableCounter("dotnet.thread_pool.thread.count", () => 42L, "{thread}", "The number of thread pool threads that currently exist.");
        meter.CreateObservableUpDownCounter("dotnet.process.memory.working_set", () => 123_456_789L, "By", "Working set.");
        var duration = meter.CreateHistogram("http.server.request.duration", "s", "Duration of HTTP server requests.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });
        foreach (var seconds in new[] { 0.0625, 0.25, 0.25, 0.75, 2.5 })
        {
            duration.Record(seconds, new KeyValuePair<string, object?>("http.route", "/sync"));
        }

        meter.CreateObservableGauge("odd.text", () => new Measurement<double>(0.25, new KeyValuePair<string, object?>("path", "C:\\tmp \"x\"\nnext")), null,
            "Help with a backslash \\ and a\nnewline.");

        var text = exporter.Scrape(5_000);

        var expected = $$"""
            # HELP dotnet_process_memory_working_set_bytes Working set.
            # TYPE dotnet_process_memory_working_set_bytes gauge
            dotnet_process_memory_working_set_bytes{otel_scope_name="{{name}}",otel_scope_version="2.0"} 123456789
            # HELP dotnet_thread_pool_threads The number of thread pool threads that currently exist. (instrument dotnet.thread_pool.thread.count: registered as an observable counter, but it goes up and down, so a gauge here)
            # TYPE dotnet_thread_pool_threads gauge
            dotnet_thread_pool_threads{otel_scope_name="{{name}}",otel_scope_version="2.0"} 42
            # HELP http_server_request_duration_seconds Duration of HTTP server requests.
            # TYPE http_server_request_duration_seconds histogram
            http_server_request_duration_seconds_bucket{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0",le="0.1"} 1
            http_server_request_duration_seconds_bucket{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0",le="0.5"} 3
            http_server_request_duration_seconds_bucket{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0",le="1"} 4
            http_server_request_duration_seconds_bucket{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0",le="+Inf"} 5
            http_server_request_duration_seconds_sum{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0"} 3.8125
            http_server_request_duration_seconds_count{http_route="/sync",otel_scope_name="{{name}}",otel_scope_version="2.0"} 5
            # HELP lab_requests_total Requests answered.
            # TYPE lab_requests_total counter
            lab_requests_total{lab_outcome="ok",lab_style="async",otel_scope_name="{{name}}",otel_scope_version="2.0"} 2
            lab_requests_total{lab_outcome="ok",lab_style="sync",otel_scope_name="{{name}}",otel_scope_version="2.0"} 3
            lab_requests_total{lab_outcome="rejected",lab_style="sync",otel_scope_name="{{name}}",otel_scope_version="2.0"} 1
            # HELP odd_text Help with a backslash \\ and a\nnewline.
            # TYPE odd_text gauge
            odd_text{otel_scope_name="{{name}}",otel_scope_version="2.0",path="C:\\tmp \"x\"\nnext"} 0.25
            # HELP target_info Target metadata: the resource attributes of this process.
            # TYPE target_info gauge
            target_info{lab_role="server",service_name="lab-test"} 1

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), text);
        Exposition.AssertRules(text!);
    }

    [Fact]
    public void Counters_are_cumulative_across_scrapes()
    {
        var name = "Lab.Test.Cumulative." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name);
        var (provider, exporter) = Provider(name);
        using var _ = provider;
        var counter = meter.CreateCounter<long>("lab.requests", "{request}", "Requests.");

        counter.Add(5);
        var first = Exposition.Parse(exporter.Scrape(5_000)!).Value("lab_requests_total");
        counter.Add(2);
        var second = Exposition.Parse(exporter.Scrape(5_000)!).Value("lab_requests_total");

        Assert.Equal(5, first);
        Assert.Equal(7, second);
    }

    [Fact]
    public void A_family_name_claimed_by_another_type_is_left_out_with_a_comment_not_written_twice()
    {
        var name = "Lab.Test.Clash." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name);
        using var other = new Meter(name + ".other");
        var exporter = new PrometheusPullExporter();
        using var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty())
            .AddMeter(name, name + ".other")
            .AddReader(new BaseExportingMetricReader(exporter))
            .Build();
        meter.CreateObservableUpDownCounter("queue.level", () => 3L, null, "A level.");
        other.CreateHistogram<double>("queue.level", null, "A histogram of the same name.").Record(1);

        var text = exporter.Scrape(5_000)!;

        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE queue_level ", StringComparison.Ordinal));
        Assert.Contains("# lab: left out queue.level from " + name, text, StringComparison.Ordinal);
        Assert.DoesNotContain("target_info", text, StringComparison.Ordinal);
        Exposition.AssertRules(text);
    }

    [Fact]
    public void The_same_instrument_from_two_meters_is_two_series_told_apart_by_scope()
    {
        var name = "Lab.Test.Scopes." + Guid.NewGuid().ToString("N");
        using var a = new Meter(name + ".a");
        using var b = new Meter(name + ".b");
        var exporter = new PrometheusPullExporter();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(name + ".a", name + ".b").AddReader(new BaseExportingMetricReader(exporter)).Build();
        a.CreateCounter<long>("shared.events").Add(1);
        b.CreateCounter<long>("shared.events").Add(2);

        var e = Exposition.Parse(exporter.Scrape(5_000)!);

        Assert.Equal(1, e.Value("shared_events_total", ("otel_scope_name", name + ".a")));
        Assert.Equal(2, e.Value("shared_events_total", ("otel_scope_name", name + ".b")));
    }
}
