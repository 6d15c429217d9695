using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// The Prometheus exposition on the SDK's export path: a pull exporter behind a
/// <see cref="BaseExportingMetricReader"/>. A scrape asks the reader to collect; the SDK runs the
/// observable callbacks, aggregates, and hands the batch to <see cref="Export"/>, which renders it as
/// text on the scraping thread. Nothing is collected between scrapes.
/// </summary>
[ExportModes(ExportModes.Pull)]
public sealed class PrometheusPullExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly Lock _gate = new();
    private string? _text;

    /// <summary>Set by the reader this exporter is attached to: collects and exports synchronously.</summary>
    public Func<int, bool>? Collect { get; set; }

    /// <summary>One collection as Prometheus text; null when nothing could be collected within the timeout.</summary>
    public string? Scrape(int timeoutMs)
    {
        // One scrape at a time: the SDK's metric points are reused between collections.
        lock (_gate)
        {
            _text = null;
            return Collect is { } collect && collect(timeoutMs) ? _text : null;
        }
    }

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var writer = new PrometheusTextWriter();
        foreach (var metric in batch)
        {
            writer.Add(metric);
        }

        if (ParentProvider?.GetResource() is { } resource && resource != Resource.Empty)
        {
            writer.AddTargetInfo(resource.Attributes);
        }

        _text = writer.ToString();
        return ExportResult.Success;
    }
}
