namespace Lab.Server.Telemetry.Metrics;

/// <summary>The metric types of the Prometheus text format (0.0.4) that the lab writes.</summary>
public enum PrometheusType
{
    Counter,
    Gauge,
    Histogram,
}
