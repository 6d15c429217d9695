using System.Globalization;
using Lab.Contracts;
using Lab.Server.Configuration;
using Prometheus;

namespace Lab.Server.Telemetry.Textfile;

/// <summary>
/// Writes the sampler's latest sample as a Prometheus textfile for node_exporter's textfile collector: the path a
/// starved thread pool cannot block, because the sampler's own thread writes it and node_exporter, another
/// process, serves it. Each write goes to a temporary file beside the target (not ending in <c>.prom</c>, so the
/// collector never reads it half-written) and is renamed over the target, which is atomic on one file system.
/// Fixed families (<see cref="TextfileMetrics"/>), two constant labels, no timestamps (the collector refuses them).
/// The text is prometheus-net's: a registry of this file's own (none of prometheus-net's default collectors, which
/// listen to EventCounters), its gauges and counters set from the sample and serialized into memory on the calling
/// thread. Every await in that serializer completes at once on a <see cref="MemoryStream"/>, so the thread pool is
/// never asked for anything (<see cref="Render"/> checks it).
/// </summary>
public sealed class PrometheusTextfile
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly IReadOnlyList<(TextfileMetric Metric, Action<double> Set)> _families;
    private bool _failing;

    public PrometheusTextfile(string path, LabRole role, int processId)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = path;
        _temporaryPath = $"{path}.{processId.ToString(CultureInfo.InvariantCulture)}.tmp";
        // The same labels as target_info on /metrics, so the two paths join on them.
        _registry.SetStaticLabels(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lab_role"] = role.ToString().ToLowerInvariant(),
            ["process_pid"] = processId.ToString(CultureInfo.InvariantCulture),
        });
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _families = [.. TextfileMetrics.All.Where(m => role == LabRole.Server || !m.ServerOnly).Select(m => (m, Setter(factory, m)))];
    }

    public string Path => _path;

    /// <summary>The file's text for one sample.</summary>
    public string Render(ServerSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        foreach (var (metric, set) in _families) set(metric.Value(sample));
        using var text = new MemoryStream(4096);
        var written = _registry.CollectAndExportAsTextAsync(text, CancellationToken.None);
        // On a MemoryStream nothing in prometheus-net's serializer waits, so the task is done here. Were it not (a
        // later version that yields), waiting for it would put the sampler thread at the mercy of the very pool it
        // watches: refuse instead, and the write is reported as failed.
        if (!written.IsCompleted)
        {
            throw new IOException("prometheus-net's serializer did not finish synchronously; the sampler thread does not wait for the thread pool.");
        }

        written.GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }

    /// <summary>
    /// How a family takes its value. A counter only goes up (<c>IncTo</c>): the sample's counts and CPU time are
    /// totals since the process started, so setting it to the sample's value is what the total says.
    /// </summary>
    private static Action<double> Setter(MetricFactory factory, TextfileMetric metric) => metric.Type switch
    {
        TextfileMetrics.Counter => factory.CreateCounter(metric.Name, metric.Help).IncTo,
        _ => factory.CreateGauge(metric.Name, metric.Help).Set,
    };

    /// <summary>Replaces the file with this sample; false (reported on stderr once per run of failures) when it could not.</summary>
    public bool Write(ServerSample sample)
    {
        try
        {
            File.WriteAllText(_temporaryPath, Render(sample));
            File.Move(_temporaryPath, _path, overwrite: true);
            if (_failing)
            {
                Console.Error.WriteLine($"lab-server: Prometheus textfile {_path} is written again.");
                _failing = false;
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failing)
            {
                Console.Error.WriteLine($"lab-server: Prometheus textfile write failed (sampling goes on): {ex.Message}");
                _failing = true;
            }

            return false;
        }
    }

    /// <summary>
    /// Removes the file when the process stops: a file left behind would be served as this process's current state
    /// forever. (After a crash it stays; <see cref="TextfileMetrics.TimestampName"/> then shows how stale it is.)
    /// </summary>
    public void Delete()
    {
        try
        {
            File.Delete(_temporaryPath);
            File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"lab-server: could not remove the Prometheus textfile: {ex.Message}");
        }
    }
}
