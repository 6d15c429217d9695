using System.Globalization;
using System.Text;
using Lab.Contracts;
using Lab.Server.Configuration;

namespace Lab.Server.Telemetry.Textfile;

/// <summary>
/// Writes the sampler's latest sample as a Prometheus textfile for node_exporter's textfile collector: the path a
/// starved thread pool cannot block, because the sampler's own thread writes it and node_exporter, another
/// process, serves it. Each write goes to a temporary file beside the target (not ending in <c>.prom</c>, so the
/// collector never reads it half-written) and is renamed over the target, which is atomic on one file system.
/// Fixed families (<see cref="TextfileMetrics"/>), two constant labels, no timestamps (the collector refuses them).
/// </summary>
public sealed class PrometheusTextfile
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly string _labels;
    private readonly IReadOnlyList<TextfileMetric> _metrics;
    private readonly StringBuilder _text = new(4096);
    private bool _failing;

    public PrometheusTextfile(string path, LabRole role, int processId)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = path;
        _temporaryPath = $"{path}.{processId.ToString(CultureInfo.InvariantCulture)}.tmp";
        var roleName = role.ToString().ToLowerInvariant();
        // The same labels as target_info on /metrics, so the two paths join on them.
        _labels = $"{{lab_role=\"{roleName}\",process_pid=\"{processId.ToString(CultureInfo.InvariantCulture)}\"}}";
        _metrics = [.. TextfileMetrics.All.Where(m => role == LabRole.Server || !m.ServerOnly)];
    }

    public string Path => _path;

    /// <summary>The file's text for one sample.</summary>
    public string Render(ServerSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _text.Clear();
        foreach (var metric in _metrics)
        {
            _text.Append("# HELP ").Append(metric.Name).Append(' ').Append(metric.Help).Append('\n');
            _text.Append("# TYPE ").Append(metric.Name).Append(' ').Append(metric.Type).Append('\n');
            _text.Append(metric.Name).Append(_labels).Append(' ').Append(Number(metric.Value(sample))).Append('\n');
        }

        return _text.ToString();
    }

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

    /// <summary>Go's ParseFloat spellings: integers as integers, other values with the shortest round-trip digits.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
