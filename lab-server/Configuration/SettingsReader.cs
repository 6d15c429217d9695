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

    /// <summary>
    /// <c>Lab:Role</c>: the role when it is not the first argument (in-memory tests host the app this way). Not a
    /// knob: lab-client always names the role on the command line, and scenarios cannot choose it.
    /// </summary>
    public const string RoleKey = "Role";

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

    /// <summary>
    /// The settings when valid; null with <see cref="Errors"/> filled when not. <paramref name="role"/> is the role
    /// from the command line; when null, <c>Lab:Role</c> must name one.
    /// </summary>
    public LabSettings? Read(LabRole? role = null)
    {
        var valid = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in _section.GetChildren())
        {
            if (string.Equals(child.Key, RoleKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (ServerKnobs.Find(child.Key) is not { } knob)
            {
                _errors.Add($"{Section}:{child.Key} is not a known setting. Known: {string.Join(", ", ServerKnobs.All.Select(k => k.Name))}.");
            }
            else if (Raw(knob.Name) is { } raw && knob.Check(raw, _processorCount) is null)
            {
                valid[knob.Name] = raw;
            }
        }

        var resolvedRole = Role(role);

        // The combinations lab-client refuses in a scenario, refused here with the same rules and words.
        foreach (var conflict in ServerKnobRules.Check(valid, _processorCount))
        {
            _errors.Add($"{Section}:{conflict.Knob}: {conflict.Message}.");
        }

        var defaults = new LabSettings();
        var min = Int("MinWorkerThreads");
        var max = Int("MaxWorkerThreads");

        // Only this process can know its runtime's current maximum (DOTNET_ThreadPool_ForceMaxWorkerThreads lowers it).
        if (min is { } lo && max is null && lo > MaxThreadsNow())
        {
            _errors.Add($"{Section}:MinWorkerThreads = {lo} is above the runtime's maximum {MaxThreadsNow()}: raise {Section}:MaxWorkerThreads too.");
        }

        var settings = new LabSettings
        {
            Role = resolvedRole ?? LabRole.Server,
            BackendUrl = Url("BackendUrl") ?? defaults.BackendUrl,
            MinWorkerThreads = min,
            MaxWorkerThreads = max,
            ConcurrencyLimit = Int("ConcurrencyLimit"),
            QueueLimit = Int("QueueLimit") ?? LabSettings.DefaultQueueLimit,
            RequestTimeoutMs = Int("RequestTimeoutMs"),
            MaxConnectionsPerServer = Connections("MaxConnectionsPerServer") ?? defaults.MaxConnectionsPerServer,
            MaxConcurrentConnections = Int("MaxConcurrentConnections"),
            PrewarmConnections = Int("PrewarmConnections") ?? 0,
            BackendTimeoutMs = Int("BackendTimeoutMs") ?? defaults.BackendTimeoutMs,
            SampleIntervalMs = Int("SampleIntervalMs") ?? defaults.SampleIntervalMs,
            SampleFile = OutputFile("SampleFile"),
            EventFile = (Choice("PoolEvents") ?? "on") != "off" ? OutputFile("EventFile") : null,
            PoolEventWaits = Choice("PoolEvents") == "waits",
            PrometheusTextfile = PrometheusTextfile(),
            SampleBufferCapacity = Int("SampleBufferCapacity") ?? defaults.SampleBufferCapacity,
            ShutdownTimeoutMs = Int("ShutdownTimeoutMs") ?? defaults.ShutdownTimeoutMs,
            ParentProcessId = Int("ParentProcessId"),
            Metrics = (Choice("Metrics") ?? "on") == "on",
            OtlpEndpoint = Url("OtlpEndpoint"),
            OtlpProtocol = Choice("OtlpProtocol") ?? defaults.OtlpProtocol,
            OtlpExportIntervalMs = Int("OtlpExportIntervalMs") ?? defaults.OtlpExportIntervalMs,
        };

        return _errors.Count == 0 ? settings : null;
    }

    /// <summary>The role from the command line or <c>Lab:Role</c>; null (with an error recorded) when neither says, or they disagree.</summary>
    private LabRole? Role(LabRole? fromArguments)
    {
        LabRole? configured = null;
        if (Raw(RoleKey) is { } raw)
        {
            if (Enum.TryParse<LabRole>(raw, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(raw[0]))
            {
                configured = parsed;
            }
            else
            {
                _errors.Add($"{Section}:{RoleKey} = \"{raw}\": expected \"backend\" or \"server\".");
                return null;
            }
        }

        if (fromArguments is { } a && configured is { } c && a != c)
        {
            _errors.Add($"{Section}:{RoleKey} = {c.ToString().ToLowerInvariant()} but the first argument says {a.ToString().ToLowerInvariant()}: give one role.");
            return null;
        }

        if ((fromArguments ?? configured) is { } role)
        {
            return role;
        }

        _errors.Add($"no role: give \"backend\" or \"server\" as the first argument (or {Section}:{RoleKey}). Run with --help.");
        return null;
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

    /// <summary>
    /// node_exporter's textfile collector reads only <c>*.prom</c> files from its folder, so the name must end in
    /// <c>.prom</c> and the folder must exist. Unlike the sample file it is meant to be replaced: it holds a state.
    /// </summary>
    private string? PrometheusTextfile()
    {
        var raw = Raw("PrometheusTextfile");
        if (raw is null)
        {
            return null;
        }

        var full = Path.GetFullPath(raw);
        var dir = Path.GetDirectoryName(full);
        if (!full.EndsWith(".prom", StringComparison.Ordinal))
        {
            _errors.Add($"{Section}:PrometheusTextfile = \"{raw}\": the name must end in .prom (node_exporter's textfile collector reads only *.prom files).");
            return null;
        }

        if (dir is null || !Directory.Exists(dir))
        {
            _errors.Add($"{Section}:PrometheusTextfile = \"{raw}\": its folder \"{dir}\" does not exist.");
            return null;
        }

        return full;
    }

    /// <summary>A file the process writes (SampleFile, EventFile): its folder must exist, and it must not hold another run's data.</summary>
    private string? OutputFile(string key)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return null;
        }

        var full = Path.GetFullPath(raw);
        var dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir))
        {
            _errors.Add($"{Section}:{key} = \"{raw}\": its folder \"{dir}\" does not exist.");
            return null;
        }

        if (File.Exists(full) && new FileInfo(full).Length > 0)
        {
            // A run never overwrites another run's data.
            _errors.Add($"{Section}:{key} = \"{raw}\": the file exists and is not empty; refusing to overwrite it.");
            return null;
        }

        return full;
    }
}
