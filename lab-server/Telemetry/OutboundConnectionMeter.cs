using System.Diagnostics.Metrics;

namespace Lab.Server.Telemetry;

/// <summary>
/// Counts open outbound connections from System.Net.Http's own <c>http.client.open_connections</c>
/// instrument, so every HttpClient in the process (the shared one and HttpWebRequest's, for APM)
/// is counted without wrapping sockets or changing how connections are made.
/// </summary>
public sealed class OutboundConnectionMeter : IDisposable
{
    private readonly MeterListener _listener = new();

    public OutboundConnectionMeter(LabCounters counters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.open_connections")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, delta, _, _) => counters.ConnectionsChanged(delta));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
