using OpenTelemetry.Metrics;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// The OpenTelemetry Views that correct two quirks of the runtime's instruments before the Prometheus exporter
/// names them. Everything else reaches <c>/metrics</c> as a stock OpenTelemetry setup would name it.
/// </summary>
public static class RuntimeViews
{
    /// <summary>Dropped: the lab's own gauges (<see cref="LabMeter"/>) replace them.</summary>
    public static readonly IReadOnlyList<string> Dropped =
    [
        // dotnet/runtime#112077: an ObservableCounter on .NET 10 although threads retire; exported as the counter
        // dotnet_thread_pool_thread_count_total, whose rate() reads every drop as a reset.
        "dotnet.thread_pool.thread.count",
        // dotnet/runtime#126167: the same for the queue, which drains (dotnet_thread_pool_queue_length_total).
        "dotnet.thread_pool.queue.length",
    ];

    /// <summary>
    /// Up-down counters (gauges) whose Prometheus name would end in <c>_count</c>, which promtool rejects:
    /// "non-histogram and non-summary metrics should not have "_count" suffix".
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
        ["dotnet.assembly.count"] = "dotnet.assemblies",
    };

    public static MeterProviderBuilder AddRuntimeViews(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var instrument in Dropped)
        {
            builder.AddView(instrument, MetricStreamConfiguration.Drop);
        }

        foreach (var (instrument, name) in Renamed)
        {
            builder.AddView(instrument, new MetricStreamConfiguration { Name = name });
        }

        return builder;
    }
}
