using System.Globalization;
using Lab.Client.Checks;
using Lab.Client.Claims;
using Lab.Client.Scenarios.Schema;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>
/// Reads a scenario file (YAML) into a <see cref="Scenario"/>, validating everything on the way against the
/// key table <see cref="ScenarioSchema"/>: unknown keys, types, ranges, lengths, parameters, model/phase
/// consistency, knob names, values and combinations, variant names, and every check's syntax, metrics and
/// parameters. Collects every error (up to <see cref="ScenarioLimits.MaxErrors"/>), each with file, line,
/// column, field path, what was found and what was expected. Split by concern: the YAML and its limits,
/// parameters, variants and knobs, load profiles, checks and texts.
/// </summary>
public sealed partial class ScenarioLoader
{
    public const double MaxProfileDurationS = ScenarioLimits.MaxProfileDurationS;

    private readonly List<ScenarioError> _errors = [];

    /// <summary>Variant names as declared, even when a variant has other errors (no cascading errors in checks).</summary>
    private readonly HashSet<string> _declaredVariants = new(StringComparer.Ordinal);

    /// <summary>Server-Timing names the scenario declares (<c>timings:</c>), known as metric groups timing_&lt;name&gt;.</summary>
    private readonly HashSet<string> _timings = new(StringComparer.Ordinal);
    private readonly string _file;
    private readonly int _processorCount;
    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly double _scale;
    private int _suppressed;

    private ScenarioLoader(string file, int processorCount, IReadOnlyDictionary<string, string>? overrides, double scale)
    {
        _file = file;
        _processorCount = processorCount;
        _overrides = overrides ?? new Dictionary<string, string>();
        _scale = scale;
    }

    /// <summary>Loads one file; throws <see cref="ScenarioException"/> listing every error.</summary>
    /// <param name="path">The scenario file.</param>
    /// <param name="processorCount">CPUs of the machine the servers run on (12xCPU, the built-in parameter cpus); this machine's by default.</param>
    /// <param name="overrides">Parameter values from <c>--set name=value</c>.</param>
    /// <param name="scale">
    /// Lengthens or shortens the experiment (<c>suite --scale 0.3</c>): every duration parameter (unit s, other than a
    /// timeout) and every phase duration written as a number is multiplied by it, so texts that name a duration
    /// say what ran.
    /// </param>
    public static Scenario Load(string path, int? processorCount = null, IReadOnlyDictionary<string, string>? overrides = null, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > ScenarioLimits.MaxFileBytes)
            {
                throw new ScenarioException([new ScenarioError(path, 1, 1, "(file)",
                    $"found {info.Length:N0} bytes; expected a scenario of at most {ScenarioLimits.MaxFileBytes:N0} bytes (a scenario is a few kilobytes)")]);
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException([new ScenarioError(path, 1, 1, "(file)", $"cannot be read: {ex.Message}")]);
        }

        return Parse(text, path, processorCount, overrides, scale);
    }

    /// <summary>
    /// Loads a file shortened by <paramref name="scale"/> unless that breaks the condition its claim needs: a burst
    /// shortened to a third may no longer overflow the queue it is meant to overflow, and an experiment that cannot
    /// test its claim is worth nothing however fast it runs. Then the smallest scale (to 0.01) between
    /// <paramref name="scale"/> and 1 whose <c>requires:</c> hold is used instead, and <paramref name="note"/> says so.
    /// Any other error, or a <c>requires:</c> that fails at full length too, throws as Load does.
    /// </summary>
    public static Scenario LoadScaled(string path, double scale, IReadOnlyDictionary<string, string>? overrides, out double used, out string? note)
    {
        note = null;
        used = scale;
        try
        {
            return Load(path, overrides: overrides, scale: scale);
        }
        catch (ScenarioException ex) when (scale < 1 && ex.Errors.Count > 0 && ex.Errors.All(e => e.Path.StartsWith("requires[", StringComparison.Ordinal)))
        {
            // Throws the full-length error if the parameters themselves are wrong: nothing to rescue then.
            var full = Load(path, overrides: overrides, scale: 1);
            var low = scale;
            var high = 1.0;
            while (high - low > 0.01)
            {
                var mid = (low + high) / 2;
                if (Holds(path, overrides, mid)) high = mid;
                else low = mid;
            }

            used = Math.Ceiling(high * 100) / 100;
            var scenario = used >= 1 ? full : Load(path, overrides: overrides, scale: used);
            note = string.Create(CultureInfo.InvariantCulture,
                $"{scenario.Name}: at --scale {scale:0.###} its {ex.Errors[0].Path} would no longer hold ({ex.Errors[0].Message.Split(';')[0]}), so it runs at ×{used:0.##}, the shortest length at which the experiment still tests its claim.");
            return scenario;
        }
    }

    private static bool Holds(string path, IReadOnlyDictionary<string, string>? overrides, double scale)
    {
        try
        {
            Load(path, overrides: overrides, scale: scale);
            return true;
        }
        catch (ScenarioException)
        {
            return false;
        }
    }

    /// <summary>Parses scenario text; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string text, string file, int? processorCount = null, IReadOnlyDictionary<string, string>? overrides = null, double scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        var loader = new ScenarioLoader(file, processorCount ?? Environment.ProcessorCount, overrides, scale);
        var scenario = loader.Read(text);
        if (loader._errors.Count == 0 && scenario is not null) return scenario;
        if (loader._suppressed > 0)
        {
            loader._errors.Add(new ScenarioError(file, ScenarioError.NoPosition, ScenarioError.NoPosition, "(file)", $"found {loader._suppressed} more errors; expected none (only the first {ScenarioLimits.MaxErrors} are listed)"));
        }

        throw new ScenarioException(loader._errors);
    }

    private Scenario? Read(string text)
    {
        if (Document(text) is not { } root) return null;

        Keys(root, "", ScenarioSchema.Top);
        Parameters(root);
        var name = Text(root, ScenarioSchema.Top["name"], "");
        var description = Text(root, ScenarioSchema.Top["description"], "");
        var claims = Claims(root);
        var target = Target(root);
        var backend = Knobs(root, ScenarioSchema.Top["backend"], "backend");
        var server = Knobs(root, ScenarioSchema.Top["server"], "server");
        var load = Child(root, "load") is { } loadNode ? Load(loadNode, "load") : null;
        var variants = Variants(root, server, load);
        if (target is not null) NoServerKnobs(root);
        var timings = Timings(root);
        _timings.UnionWith(timings);
        var client = Client(root, variants);
        var (checks, roles) = Checks(root, claims);

        // After variants and timings are known, so a metric in it is named as a metric, not an unknown variant.
        if (description is not null) DescriptionFormulas(Child(root, "description")!, "description", description);
        var suite = Choice(root, ScenarioSchema.Top["suite"], "") ?? "none";
        var repeat = (int?)Number(root, ScenarioSchema.Top["repeat"], "") ?? 1;
        var evidence = Evidence(root, claims);
        var requirements = Requirements(root);
        var sweep = Sweep(root, variants, target is not null);

        return _errors.Count > 0 || _suppressed > 0 ? null : new Scenario
        {
            CheckRoles = roles,
            Suite = suite,
            Evidence = evidence,
            Name = name!,
            Description = FillFormulas(description!, ParameterValues),
            Claims = claims,
            Parameters = [.. _parameters.Values],
            Requirements = requirements,
            Timings = timings,
            Target = target,
            Sweep = sweep,
            Repeat = repeat,
            BackendKnobs = backend,
            ServerKnobs = server,
            Variants = variants,
            Client = client,
            Checks = checks,
            SourcePath = _file,
            SourceText = text,
        };
    }

    private List<string> Claims(YamlMappingNode root)
    {
        var field = ScenarioSchema.Top["claims"];
        var claims = new List<string>();
        if (Child(root, "claims") is not { } node) return claims;
        if (node is not YamlSequenceNode list)
        {
            Error(node, "claims", Found(node), "a list of claim ids such as [C1, C2]");
            return claims;
        }

        if (!Count(list, field, "claims")) return claims;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"claims[{i}]";
            if (Scalar(list.Children[i], field.Item!, path) is not { } id) continue;
            if (ClaimCatalog.Find(id) is null)
            {
                Error(list.Children[i], path, $"\"{id}\", which is not in the claims catalogue",
                    $"one of {string.Join(", ", ClaimCatalog.Testable.Select(c => c.Id))} (docs/claims.md), or no claims for an experiment of your own");
            }
            else if (claims.Contains(id))
            {
                Error(list.Children[i], path, $"\"{id}\" a second time", "each claim once");
            }
            else
            {
                claims.Add(id);
            }
        }

        return claims;
    }

    private ClientOptions Client(YamlMappingNode root, IReadOnlyList<Variant> variants)
    {
        var defaults = new ClientOptions();
        var section = ScenarioSchema.Client;
        if (Child(root, "client") is not { } node) return defaults;
        if (node is not YamlMappingNode map)
        {
            Error(node, "client", Found(node), "a mapping of client settings");
            return defaults;
        }

        Keys(map, "client", section);
        var client = new ClientOptions
        {
            InFlightCap = (int)(Number(map, section["inFlightCap"], "client") ?? defaults.InFlightCap),
            TimeoutS = Number(map, section["timeoutS"], "client") ?? defaults.TimeoutS,
            WarmupRequests = (int)(Number(map, section["warmupRequests"], "client") ?? defaults.WarmupRequests),
            LagThresholdMs = Number(map, section["lagThresholdMs"], "client"),
            MaxConnections = (int?)Number(map, section["maxConnections"], "client"),
            Seed = (int)(Number(map, section["seed"], "client") ?? defaults.Seed),
            DrainS = Number(map, section["drainS"], "client") ?? defaults.DrainS,
            StackSnapshots = (int)(Number(map, section["stackSnapshots"], "client") ?? defaults.StackSnapshots),
            StackMinQueue = (int)(Number(map, section["stackMinQueue"], "client") ?? defaults.StackMinQueue),
        };
        _ = variants;
        return client;
    }
}
