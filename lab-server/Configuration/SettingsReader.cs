using System.Globalization;
using Lab.Contracts;

namespace Lab.Server.Configuration;

/// <summary>
/// Reads and validates the <c>Lab</c> configuration section. Collects every problem (not only the
/// first), each naming the key, the value found and what is allowed, so a mistyped knob never
/// silently falls back to a default.
/// </summary>
public sealed class SettingsReader
{
    public const string Section = "Lab";

    private readonly IConfigurationSection _section;
    private readonly int _processorCount;
    private readonly List<string> _errors = [];

    public SettingsReader(IConfiguration configuration, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _section = configuration.GetSection(Section);
        _processorCount = processorCount;
    }

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The settings when valid; null with <see cref="Errors"/> filled when not.</summary>
    public LabSettings? Read(LabRole role)
    {
        foreach (var child in _section.GetChildren())
        {
            if (ServerKnobs.Find(child.Key) is null)
            {
                _errors.Add($"{Section}:{child.Key} is not a known setting. Known: {string.Join(", ", ServerKnobs.All.Select(k => k.Name))}.");
            }
        }

        var defaults = new LabSettings();
        var min = Int("MinWorkerThreads");
        var max = Int("MaxWorkerThreads");
        if (max < _processorCount)
        {
            _errors.Add($"{Section}:MaxWorkerThreads = {max}: expected at least the processor count, {_processorCount} (ThreadPool.SetMaxThreads refuses less).");
        }

        if (min is { } lo && max is { } hi && lo > hi)
        {
            _errors.Add($"{Section}:MinWorkerThreads = {lo} is above {Section}:MaxWorkerThreads = {hi}: expected min <= max.");
        }
        else if (min is { } lo2 && max is null && lo2 > MaxThreadsNow())
        {
            _errors.Add($"{Section}:MinWorkerThreads = {lo2} is above the runtime's maximum {MaxThreadsNow()}: raise {Section}:MaxWorkerThreads too.");
        }

        var concurrency = Int("ConcurrencyLimit");
        var queue = Int("QueueLimit");
        if (queue is not null && concurrency is null)
        {
            _errors.Add($"{Section}:QueueLimit is set but {Section}:ConcurrencyLimit is not: the queue belongs to the concurrency limiter, set both.");
        }

        var settings = new LabSettings
        {
            Role = role,
            BackendUrl = Url("BackendUrl") ?? defaults.BackendUrl,
            MinWorkerThreads = min,
            MaxWorkerThreads = max,
            ConcurrencyLimit = concurrency,
            QueueLimit = queue ?? LabSettings.DefaultQueueLimit,
            RequestTimeoutMs = Int("RequestTimeoutMs"),
            MaxConnectionsPerServer = Connections("MaxConnectionsPerServer") ?? defaults.MaxConnectionsPerServer,
            MaxConcurrentConnections = Int("MaxConcurrentConnections"),
            PrewarmConnections = Int("PrewarmConnections") ?? 0,
            BackendTimeoutMs = Int("BackendTimeoutMs") ?? defaults.BackendTimeoutMs,
            SampleIntervalMs = Int("SampleIntervalMs") ?? defaults.SampleIntervalMs,
            SampleFile = SampleFile(),
            SampleBufferCapacity = Int("SampleBufferCapacity") ?? defaults.SampleBufferCapacity,
            ShutdownTimeoutMs = Int("ShutdownTimeoutMs") ?? defaults.ShutdownTimeoutMs,
            ParentProcessId = Int("ParentProcessId"),
            Metrics = (Choice("Metrics") ?? "on") == "on",
            OtlpEndpoint = Url("OtlpEndpoint"),
            OtlpProtocol = Choice("OtlpProtocol") ?? defaults.OtlpProtocol,
            OtlpExportIntervalMs = Int("OtlpExportIntervalMs") ?? defaults.OtlpExportIntervalMs,
        };
        if (!settings.Metrics && settings.OtlpEndpoint is not null)
        {
            _errors.Add($"{Section}:OtlpEndpoint is set but {Section}:Metrics is off: nothing would be pushed; turn metrics on or drop the endpoint.");
        }

        if (settings.OtlpEndpoint is null && (Raw("OtlpProtocol") ?? Raw("OtlpExportIntervalMs")) is not null)
        {
            _errors.Add($"{Section}:OtlpProtocol or {Section}:OtlpExportIntervalMs is set but {Section}:OtlpEndpoint is not: set the collector's URL too.");
        }

        if (settings.PrewarmConnections > settings.MaxConnectionsPerServer.Connections)
        {
            _errors.Add($"{Section}:PrewarmConnections = {settings.PrewarmConnections} is above {Section}:MaxConnectionsPerServer = {settings.MaxConnectionsPerServer.Connections}.");
        }

        return _errors.Count == 0 ? settings : null;
    }

    private static int MaxThreadsNow()
    {
        ThreadPool.GetMaxThreads(out var workers, out _);
        return workers;
    }

    private string? Raw(string key)
    {
        var value = _section[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>True with the trimmed value when <paramref name="key"/> is set and valid; a set but invalid value is recorded as an error.</summary>
    private bool Valid(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? raw)
    {
        raw = Raw(key);
        if (raw is null)
        {
            return false;
        }

        if (ServerKnobs.Find(key)!.Check(raw, _processorCount) is { } expected)
        {
            _errors.Add($"{Section}:{key} = \"{raw}\": expected {expected}.");
            return false;
        }

        return true;
    }

    private int? Int(string key) =>
        Valid(key, out var raw) ? int.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    private Uri? Url(string key) => Valid(key, out var raw) ? new Uri(raw, UriKind.Absolute) : null;

    private string? Choice(string key) =>
        Valid(key, out var raw) ? ServerKnobs.Find(key)!.Choices!.First(c => string.Equals(c, raw, StringComparison.OrdinalIgnoreCase)) : null;

    private ConnectionLimit? Connections(string key) => Valid(key, out var raw) ? ConnectionLimit.TryParse(raw, _processorCount) : null;

    private string? SampleFile()
    {
        var raw = Raw("SampleFile");
        if (raw is null)
        {
            return null;
        }

        var full = Path.GetFullPath(raw);
        var dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir))
        {
            _errors.Add($"{Section}:SampleFile = \"{raw}\": its folder \"{dir}\" does not exist.");
            return null;
        }

        if (File.Exists(full) && new FileInfo(full).Length > 0)
        {
            // A run never overwrites another run's data.
            _errors.Add($"{Section}:SampleFile = \"{raw}\": the file exists and is not empty; refusing to overwrite it.");
            return null;
        }

        return full;
    }
}
