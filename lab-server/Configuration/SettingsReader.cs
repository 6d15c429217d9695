using System.Globalization;

namespace Lab.Server.Configuration;

/// <summary>
/// Reads and validates the <c>Lab</c> configuration section. Collects every problem (not only the
/// first), each naming the key, the value found and what is allowed, so a mistyped knob never
/// silently falls back to a default.
/// </summary>
public sealed class SettingsReader
{
    public const string Section = "Lab";

    private static readonly Dictionary<string, string> s_known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BackendUrl"] = "http(s) URL of the backend process (server role)",
        ["MinWorkerThreads"] = "thread-pool minimum worker threads",
        ["MaxWorkerThreads"] = "thread-pool maximum worker threads",
        ["ConcurrencyLimit"] = "concurrency limiter permits (off when unset)",
        ["QueueLimit"] = "requests allowed to queue for the limiter; beyond it 503",
        ["RequestTimeoutMs"] = "whole-request time budget in ms",
        ["MaxConnectionsPerServer"] = "outbound connections per backend: unlimited, N or NxCPU",
        ["MaxConcurrentConnections"] = "Kestrel connection limit",
        ["PrewarmConnections"] = "backend connections opened before ready",
        ["BackendTimeoutMs"] = "outbound HttpClient timeout in ms",
        ["SampleIntervalMs"] = "telemetry sample interval in ms",
        ["SampleFile"] = "JSON-lines file for telemetry samples",
        ["SampleBufferCapacity"] = "samples kept in memory for /lab/samples",
        ["ShutdownTimeoutMs"] = "graceful shutdown bound in ms",
    };

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
            if (!s_known.ContainsKey(child.Key))
            {
                _errors.Add($"{Section}:{child.Key} is not a known setting. Known: {string.Join(", ", s_known.Keys)}.");
            }
        }

        var defaults = new LabSettings();
        var min = Int("MinWorkerThreads", 1, short.MaxValue);
        var max = Int("MaxWorkerThreads", _processorCount, short.MaxValue);
        if (min is { } lo && max is { } hi && lo > hi)
        {
            _errors.Add($"{Section}:MinWorkerThreads = {lo} is above {Section}:MaxWorkerThreads = {hi}: expected min <= max.");
        }
        else if (min is { } lo2 && max is null && lo2 > MaxThreadsNow())
        {
            _errors.Add($"{Section}:MinWorkerThreads = {lo2} is above the runtime's maximum {MaxThreadsNow()}: raise {Section}:MaxWorkerThreads too.");
        }

        var concurrency = Int("ConcurrencyLimit", 1, 1_000_000);
        var queue = Int("QueueLimit", 0, 1_000_000);
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
            RequestTimeoutMs = Int("RequestTimeoutMs", 1, 3_600_000),
            MaxConnectionsPerServer = Connections("MaxConnectionsPerServer") ?? defaults.MaxConnectionsPerServer,
            MaxConcurrentConnections = Int("MaxConcurrentConnections", 1, 10_000_000),
            PrewarmConnections = Int("PrewarmConnections", 0, 10_000) ?? 0,
            BackendTimeoutMs = Int("BackendTimeoutMs", 1, 3_600_000) ?? defaults.BackendTimeoutMs,
            SampleIntervalMs = Int("SampleIntervalMs", 10, 10_000) ?? defaults.SampleIntervalMs,
            SampleFile = SampleFile(),
            SampleBufferCapacity = Int("SampleBufferCapacity", 10, 10_000_000) ?? defaults.SampleBufferCapacity,
            ShutdownTimeoutMs = Int("ShutdownTimeoutMs", 0, 600_000) ?? defaults.ShutdownTimeoutMs,
        };
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

    private int? Int(string key, int min, int max)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        _errors.Add($"{Section}:{key} = \"{raw}\": expected an integer from {min} to {max} ({s_known[key]}).");
        return null;
    }

    private Uri? Url(string key)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return null;
        }

        if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        _errors.Add($"{Section}:{key} = \"{raw}\": expected an absolute http:// or https:// URL ({s_known[key]}).");
        return null;
    }

    private ConnectionLimit? Connections(string key)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return null;
        }

        var limit = ConnectionLimit.TryParse(raw, _processorCount);
        if (limit is null)
        {
            _errors.Add($"{Section}:{key} = \"{raw}\": expected \"unlimited\", an integer from 1 to {ConnectionLimit.MaxConnections}, or a per-core form such as \"12xCPU\".");
        }

        return limit;
    }

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
