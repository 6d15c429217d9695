using Lab.Server.Telemetry.Metrics;
using Lab.Testing;
using OpenTelemetry.Metrics;

namespace Lab.Server.Tests.Metrics;

/// <summary>Instrument → family names, as the OpenTelemetry Prometheus exporter maps them, plus the lab's two fixes.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", MetricType.Histogram, "http_server_request_duration_seconds")]
    [InlineData("dotnet.process.memory.working_set", "By", MetricType.LongSumNonMonotonic, "dotnet_process_memory_working_set_bytes")]
    [InlineData("aspnetcore.rate_limiting.requests", "{request}", MetricType.LongSum, "aspnetcore_rate_limiting_requests_total")]
    [InlineData("kestrel.active_connections", "{connection}", MetricType.LongSumNonMonotonic, "kestrel_active_connections")]
    [InlineData("dotnet.gc.pause.time", "s", MetricType.DoubleSum, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("dotnet.thread_pool.work_item.count", "{work_item}", MetricType.LongSum, "dotnet_thread_pool_work_item_count_total")]
    [InlineData("lab.requests", "{request}", MetricType.LongSum, "lab_requests_total")]
    [InlineData("io.bytes", "By/s", MetricType.DoubleGauge, "io_bytes_bytes_per_second")]
    [InlineData("queue.wait", "ms", MetricType.Histogram, "queue_wait_milliseconds")]
    [InlineData("already.seconds", "s", MetricType.Histogram, "already_seconds")]
    [InlineData("requests.total", "", MetricType.LongSum, "requests_total")]
    [InlineData("9lives-and/slashes", "1", MetricType.LongGauge, "_9lives_and_slashes")]
    // .NET 10.0.12 registers these as observable counters although they go up and down (runtime#112077).
    [InlineData("dotnet.thread_pool.thread.count", "{thread}", MetricType.LongSum, "dotnet_thread_pool_threads")]
    [InlineData("dotnet.thread_pool.queue.length", "{work_item}", MetricType.LongSum, "dotnet_thread_pool_queue_length")]
    // The same once fixed: still a gauge, still not ending in _count (promtool rejects that for gauges).
    [InlineData("dotnet.thread_pool.thread.count", "{thread}", MetricType.LongSumNonMonotonic, "dotnet_thread_pool_threads")]
    [InlineData("dotnet.timer.count", "{timer}", MetricType.LongSumNonMonotonic, "dotnet_timers")]
    [InlineData("some.widget.count", "{widget}", MetricType.LongGauge, "some_widget_count_current")]
    public void Instruments_map_to_the_family_names_dashboards_use(string instrument, string unit, MetricType type, string expected)
    {
        var prometheusType = PrometheusNaming.TypeOf(instrument, type);
        Assert.NotNull(prometheusType);
        Assert.Equal(expected, PrometheusNaming.FamilyName(instrument, unit, prometheusType.Value));
    }

    [Theory]
    [InlineData("dotnet.thread_pool.thread.count", MetricType.LongSum, PrometheusType.Gauge)]
    [InlineData("dotnet.thread_pool.queue.length", MetricType.LongSum, PrometheusType.Gauge)]
    [InlineData("dotnet.thread_pool.work_item.count", MetricType.LongSum, PrometheusType.Counter)]
    [InlineData("x", MetricType.DoubleSumNonMonotonic, PrometheusType.Gauge)]
    [InlineData("x", MetricType.Histogram, PrometheusType.Histogram)]
    public void Levels_are_gauges_whatever_instrument_type_the_runtime_chose(string instrument, MetricType type, PrometheusType expected) =>
        Assert.Equal(expected, PrometheusNaming.TypeOf(instrument, type));

    [Fact]
    public void Exponential_histograms_have_no_mapping_and_are_left_out() =>
        Assert.Null(PrometheusNaming.TypeOf("x", MetricType.ExponentialHistogram));

    [Theory]
    [InlineData("http.response.status_code", "http_response_status_code")]
    [InlineData("lab.style", "lab_style")]
    [InlineData("__reserved", "key__reserved")]
    [InlineData("a:b", "a_b")]
    public void Attribute_keys_become_valid_label_names(string key, string expected) =>
        Assert.Equal(expected, PrometheusNaming.LabelName(key));
}
