using Lab.Server.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// The process's OpenTelemetry <see cref="MeterProvider"/>: the runtime's, ASP.NET Core's and HttpClient's
/// built-in meters plus the lab's own, served on <c>/metrics</c> by the OpenTelemetry Prometheus exporter and,
/// when <c>Lab:OtlpEndpoint</c> is set, pushed to an OTLP collector as well. Scrapes are served on the thread
/// pool like any request, so a starved server answers them late; the dedicated sampler thread (and its
/// Prometheus textfile), not this, is the lab's source of truth.
/// </summary>
public sealed class LabMetrics : IDisposable
{
    public const string Path = "/metrics";

    /// <summary>The meters exposed, in the order the README lists them.</summary>
    public static readonly IReadOnlyList<string> MeterNames =
    [
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        LabMeter.MeterName,
    ];

    private readonly MeterProvider _provider;

    public LabMetrics(LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var role = settings.Role.ToString().ToLowerInvariant();
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r
                .AddService("lab-server", serviceVersion: typeof(LabMetrics).Assembly.GetName().Version?.ToString(3),
                    serviceInstanceId: $"{role}-{Environment.ProcessId}")
                .AddAttributes([new("lab.role", role), new("process.pid", Environment.ProcessId)]))
            .AddMeter([.. MeterNames])
            .AddRuntimeViews()
            .AddPrometheusExporter(o =>
            {
                o.ScrapeEndpointPath = Path;
                // Every scrape collects: a lab reads values at the moment it asked, not up to 300 ms (the default) before.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            });
        if (settings.OtlpEndpoint is { } endpoint)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                var http = settings.OtlpProtocol == "http/protobuf";
                exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                exporter.Endpoint = http && endpoint.AbsolutePath == "/" ? new Uri(endpoint, "/v1/metrics") : endpoint;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.OtlpExportIntervalMs;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            });
        }

        _provider = builder.Build();
    }

    /// <summary>The provider whose Prometheus exporter <c>/metrics</c> serves.</summary>
    public MeterProvider Provider => _provider;

    public void Dispose() => _provider.Dispose();
}
