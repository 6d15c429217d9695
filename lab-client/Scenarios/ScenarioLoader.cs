using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Client.Checks;
using Lab.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>
/// Reads a scenario file (YAML) into a <see cref="Scenario"/>, validating everything on the way:
/// unknown keys, types, ranges, model/phase consistency, knob names and values, variant names,
/// and every check's syntax and metrics. Collects all errors, each with file, line, column,
/// field path, what was found and what was expected.
/// </summary>
public sealed partial class ScenarioLoader
{
    public const double MaxProfileDurationS = 3_600;

    private readonly List<ScenarioError> _errors = [];

    /// <summary>Variant names as declared, even when a variant has other errors (no cascading errors in checks).</summary>
    private readonly HashSet<string> _declaredVariants = new(StringComparer.Ordinal);
    private readonly string _file;
    private readonly int _processorCount;

    private ScenarioLoader(string file, int processorCount)
    {
        _file = file;
        _processorCount = processorCount;
    }

    /// <summary>Loads one file; throws <see cref="ScenarioException"/> listing every error.</summary>
    public static Scenario Load(string path, int? processorCount = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException([new ScenarioError(path, 0, 0, "(file)", $"cannot be read: {ex.Message}")]);
        }

        return Parse(text, path, processorCount);
    }

    /// <summary>Parses scenario text; <paramref name="file"/> names it in errors.</summary>
    public static Scenario Parse(string text, string file, int? processorCount = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var loader = new ScenarioLoader(file, processorCount ?? Environment.ProcessorCount);
        var scenario = loader.Read(text);
        return loader._errors.Count == 0 && scenario is not null ? scenario : throw new ScenarioException(loader._errors);
    }

    private Scenario? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            _errors.Add(new ScenarioError(_file, (int)ex.Start.Line, (int)ex.Start.Column, "(file)", $"is not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _errors.Add(new ScenarioError(_file, 1, 1, "(file)", "found no mapping at the top; expected one YAML document with keys name, description, claims, load, variants, …"));
            return null;
        }

        Keys(root, "", ScenarioKeys.Top);
        var name = Text(root, "name", "", required: true, NamePattern(), "lower-case letters, digits and '-' (it names the results folder)");
        var description = Text(root, "description", "", required: true);
        var claims = Claims(root);
        var backend = Knobs(root, "backend", "backend");
        var server = Knobs(root, "server", "server");
        var load = Child(root, "load") is { } loadNode ? Load(loadNode, "load") : null;
        var variants = Variants(root, server, load);
        var client = Client(root);
        var (checks, roles) = Checks(root, claims);
        var suite = Text(root, "suite", "", required: false) ?? "none";
        if (!ScenarioKeys.Suites.Contains(suite))
        {
            Error(Child(root, "suite")!, "suite", $"\"{suite}\"", "quick (the quick suite and the full one), full (the full suite only) or none");
        }

        var evidence = Evidence(root, claims);

        return _errors.Count > 0 ? null : new Scenario
        {
            CheckRoles = roles,
            Suite = suite,
            Evidence = evidence,
            Name = name!,
            Description = description!,
            Claims = claims,
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
        var claims = new List<string>();
        if (Child(root, "claims") is not { } node)
        {
            Error(root, "claims", "nothing", "a list of claim ids such as [C1, C2]");
            return claims;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            Error(node, "claims", Found(node), "a non-empty list of claim ids such as [C1, C2]");
            return claims;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlScalarNode { Value: { } v } && ClaimPattern().IsMatch(v))
            {
                claims.Add(v);
            }
            else
            {
                Error(list.Children[i], $"claims[{i}]", Found(list.Children[i]), "a claim id such as C1 (DESIGN.md §9)");
            }
        }

        return claims;
    }

    private Dictionary<string, string> Knobs(YamlMappingNode parent, string key, string path)
    {
        var knobs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Child(parent, key) is not { } node)
        {
            return knobs;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, path, Found(node), "a mapping of lab-server settings, e.g. { minWorkerThreads: 200 }");
            return knobs;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            var knob = ServerKnobs.Find(name);
            var settable = ServerKnobs.All.Where(x => !x.SetByOrchestrator).Select(x => Camel(x.Name));
            if (knob is null || knob.SetByOrchestrator)
            {
                Error(k, $"{path}.{name}", knob is null ? $"unknown setting \"{name}\"" : $"\"{name}\", which the orchestrator sets itself",
                    $"one of {string.Join(", ", settable)}");
                continue;
            }

            if (v is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                Error(v, $"{path}.{name}", Found(v), "a single value");
            }
            else if (knob.Check(value, _processorCount) is { } expected)
            {
                Error(v, $"{path}.{name}", Found(v), expected);
            }
            else
            {
                knobs[knob.Name] = value;
            }
        }

        return knobs;
    }

    private List<Variant> Variants(YamlMappingNode root, Dictionary<string, string> serverKnobs, LoadProfile? scenarioLoad)
    {
        var variants = new List<Variant>();
        if (Child(root, "variants") is not { } node)
        {
            Error(root, "variants", "nothing", "a list of variants, each with a name and an endpoint");
            return variants;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            Error(node, "variants", Found(node), "a non-empty list of variants");
            return variants;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"variants[{i}]";
            if (list.Children[i] is not YamlMappingNode map)
            {
                Error(list.Children[i], path, Found(list.Children[i]), "a mapping with name and endpoint (or mix)");
                continue;
            }

            Keys(map, path, ScenarioKeys.Variant);
            var name = Text(map, "name", path, required: true, VariantPattern(), "a letter then letters, digits or '_' (checks refer to it, e.g. sync.latency.p99)");
            if (name is not null) _declaredVariants.Add(name);
            if (name is not null && !names.Add(name))
            {
                Error(map.Children[new YamlScalarNode("name")], $"{path}.name", $"\"{name}\" a second time", "a name no other variant has");
            }

            var endpoints = Endpoints(map, path);
            var overrides = Knobs(map, "server", $"{path}.server");
            var env = EnvironmentVariables(map, path);
            var load = Child(map, "load") is { } loadNode ? Load(loadNode, $"{path}.load") : scenarioLoad;
            if (load is null && Child(map, "load") is null && Child(root, "load") is null)
            {
                Error(map, $"{path}.load", "nothing", "a load profile here or at the top of the file");
            }

            if (name is null || endpoints is null || load is null) continue;
            var knobs = new Dictionary<string, string>(serverKnobs, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in overrides) knobs[k] = v;
            variants.Add(new Variant
            {
                Name = name,
                Description = Text(map, "description", path, required: false),
                Endpoints = endpoints,
                ServerKnobs = knobs,
                Environment = env,
                Load = load,
            });
        }

        return variants;
    }

    private List<EndpointShare>? Endpoints(YamlMappingNode map, string path)
    {
        var single = Child(map, "endpoint");
        var mix = Child(map, "mix");
        if ((single is null) == (mix is null))
        {
            Error(map, path, single is null ? "neither endpoint nor mix" : "both endpoint and mix", "exactly one of endpoint (a path such as /sync?delayMs=500) or mix (a weighted list)");
            return null;
        }

        if (single is not null)
        {
            return Endpoint(single, $"{path}.endpoint") is { } e ? [new EndpointShare(e, 1)] : null;
        }

        if (mix is not YamlSequenceNode items || items.Children.Count == 0)
        {
            Error(mix!, $"{path}.mix", Found(mix!), "a non-empty list of { endpoint, weight }");
            return null;
        }

        var shares = new List<EndpointShare>();
        for (var i = 0; i < items.Children.Count; i++)
        {
            var itemPath = $"{path}.mix[{i}]";
            if (items.Children[i] is not YamlMappingNode item)
            {
                Error(items.Children[i], itemPath, Found(items.Children[i]), "a mapping { endpoint, weight }");
                continue;
            }

            Keys(item, itemPath, ScenarioKeys.MixItem);
            var endpoint = Child(item, "endpoint") is { } e ? Endpoint(e, $"{itemPath}.endpoint") : Missing(item, $"{itemPath}.endpoint", "a path such as /fast");
            var weight = Number(item, "weight", itemPath, 1, 1_000, required: true, integer: true);
            if (endpoint is not null && weight is not null) shares.Add(new EndpointShare(endpoint, (int)weight));
        }

        return shares.Count == items.Children.Count ? shares : null;
    }

    private string? Endpoint(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } v } && v.StartsWith('/') && !v.Any(char.IsWhiteSpace) && Uri.TryCreate("http://x" + v, UriKind.Absolute, out _))
        {
            return v;
        }

        Error(node, path, Found(node), "a path and query on the server starting with '/', e.g. /sync?delayMs=500");
        return null;
    }

    private Dictionary<string, string> EnvironmentVariables(YamlMappingNode map, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(map, "env") is not { } node) return env;
        if (node is not YamlMappingNode vars)
        {
            Error(node, $"{path}.env", Found(node), "a mapping of environment variables, e.g. { DOTNET_gcServer: \"0\" }");
            return env;
        }

        foreach (var (k, v) in vars.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (!EnvPattern().IsMatch(name))
            {
                Error(k, $"{path}.env.{name}", $"\"{name}\"", "an environment variable name (letters, digits, '_')");
            }
            else if (v is not YamlScalarNode { Value: { } value })
            {
                Error(v, $"{path}.env.{name}", Found(v), "a single value");
            }
            else
            {
                env[name] = value;
            }
        }

        return env;
    }

    private LoadProfile? Load(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, path, Found(node), "a mapping { model: open|closed, phases: [...] }");
            return null;
        }

        Keys(map, path, ScenarioKeys.Load);
        var modelText = Text(map, "model", path, required: true);
        LoadModel? model = modelText switch
        {
            "open" => LoadModel.Open,
            "closed" => LoadModel.Closed,
            null => null,
            _ => null,
        };
        if (modelText is not null && model is null)
        {
            Error(map.Children[new YamlScalarNode("model")], $"{path}.model", $"\"{modelText}\"",
                "open (arrivals on a schedule, whatever the server does) or closed (N users, each waiting for its answer)");
        }

        if (Child(map, "phases") is not { } phasesNode)
        {
            Error(map, $"{path}.phases", "nothing", "a non-empty list of phases such as - inject: { ratePerS: 100, durationS: 10 }");
            return null;
        }

        if (phasesNode is not YamlSequenceNode list || list.Children.Count == 0)
        {
            Error(phasesNode, $"{path}.phases", Found(phasesNode), "a non-empty list of phases");
            return null;
        }

        var phases = new List<LoadPhase>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Phase(list.Children[i], $"{path}.phases[{i}]", model) is { } phase) phases.Add(phase);
        }

        if (phases.Count != list.Children.Count || model is null) return null;
        var profile = new LoadProfile(model.Value, phases);
        if (profile.DurationS > MaxProfileDurationS)
        {
            Error(list, $"{path}.phases", $"{profile.DurationS:0.#} s in all", $"at most {MaxProfileDurationS:0} s (every load is bounded)");
            return null;
        }

        return profile;
    }

    private LoadPhase? Phase(YamlNode node, string path, LoadModel? model)
    {
        var kinds = string.Join(", ", ScenarioKeys.Phases.Keys);
        if (node is not YamlMappingNode { Children.Count: 1 } map)
        {
            Error(node, path, Found(node), $"a mapping with one phase kind ({kinds}), e.g. - inject: {{ ratePerS: 100, durationS: 10 }}");
            return null;
        }

        var (kindNode, paramsNode) = map.Children.Single();
        var kind = ((YamlScalarNode)kindNode).Value ?? "";
        if (!ScenarioKeys.Phases.TryGetValue(kind, out var parameters))
        {
            Error(kindNode, path, $"\"{kind}\"", $"a phase kind: {kinds}");
            return null;
        }

        var allowed = model == LoadModel.Closed ? ScenarioKeys.ClosedPhases : ScenarioKeys.OpenPhases;
        if (model is not null && !allowed.Contains(kind))
        {
            var other = model == LoadModel.Open ? "closed" : "open";
            Error(kindNode, path, $"\"{kind}\" in a {model.ToString()!.ToLowerInvariant()} model",
                $"{string.Join(", ", allowed)} ({kind} belongs to the {other} model: set model: {other})");
            return null;
        }

        var p = $"{path}.{kind}";
        if (paramsNode is not YamlMappingNode args)
        {
            Error(paramsNode, p, Found(paramsNode), $"a mapping with {string.Join(", ", parameters)}");
            return null;
        }

        Keys(args, p, parameters);
        var duration = Number(args, "durationS", p, 0.001, MaxProfileDurationS, required: true);
        double? N(string key, double min, double max, bool integer = false) => Number(args, key, p, min, max, required: true, integer);
        LoadPhase? phase;
        switch (kind)
        {
            case "inject":
                var rate = N("ratePerS", 0.001, 100_000);
                phase = rate is { } r && duration is { } d ? new InjectPhase(r, d) : null;
                break;
            case "ramp":
                var from = N("fromPerS", 0, 100_000);
                var to = N("toPerS", 0, 100_000);
                phase = from is not { } f || to is not { } t || duration is not { } d2 ? null
                    : f == 0 && t == 0 ? Invalid(args, p, "a ramp from 0 to 0", "a ramp with some rate (use pause for none)")
                    : new RampPhase(f, t, d2);
                break;
            case "randomRate":
                var min = N("minPerS", 0, 100_000);
                var max = N("maxPerS", 0.001, 100_000);
                phase = min is not { } lo || max is not { } hi || duration is not { } d3 ? null
                    : lo > hi ? Invalid(args, $"{p}.minPerS", $"{Fmt(lo)}, above maxPerS {Fmt(hi)}", "minPerS <= maxPerS")
                    : new RandomRatePhase(lo, hi, d3);
                break;
            case "pause":
                phase = duration is { } d4 ? new PausePhase(d4) : null;
                break;
            case "keepConcurrent":
                var users = N("users", 1, 100_000, integer: true);
                phase = users is { } u && duration is { } d5 ? new KeepConcurrentPhase((int)u, d5) : null;
                break;
            default:
                var fromUsers = N("fromUsers", 0, 100_000, integer: true);
                var toUsers = N("toUsers", 0, 100_000, integer: true);
                phase = fromUsers is { } fu && toUsers is { } tu && duration is { } d6 ? new RampConcurrentPhase((int)fu, (int)tu, d6) : null;
                break;
        }

        return phase;
    }

    private ClientOptions Client(YamlMappingNode root)
    {
        var defaults = new ClientOptions();
        if (Child(root, "client") is not { } node) return defaults;
        if (node is not YamlMappingNode map)
        {
            Error(node, "client", Found(node), "a mapping of client settings");
            return defaults;
        }

        Keys(map, "client", ScenarioKeys.Client);
        return new ClientOptions
        {
            InFlightCap = (int)(Number(map, "inFlightCap", "client", 1, 1_000_000, required: false, integer: true) ?? defaults.InFlightCap),
            TimeoutS = Number(map, "timeoutS", "client", 0.1, 3_600, required: false) ?? defaults.TimeoutS,
            WarmupRequests = (int)(Number(map, "warmupRequests", "client", 0, 1_000, required: false, integer: true) ?? defaults.WarmupRequests),
            LagThresholdMs = Number(map, "lagThresholdMs", "client", 0.01, 10_000, required: false) ?? defaults.LagThresholdMs,
            MaxConnections = (int?)Number(map, "maxConnections", "client", 1, 100_000, required: false, integer: true),
            Seed = (int)(Number(map, "seed", "client", int.MinValue, int.MaxValue, required: false, integer: true) ?? defaults.Seed),
            DrainS = Number(map, "drainS", "client", 0, 600, required: false) ?? defaults.DrainS,
        };
    }

    private (List<CheckExpression> Checks, List<CheckRole> Roles) Checks(YamlMappingNode root, List<string> claims)
    {
        var checks = new List<CheckExpression>();
        var roles = new List<CheckRole>();
        if (Child(root, "checks") is not { } node) return (checks, roles);
        if (node is not YamlSequenceNode list)
        {
            Error(node, "checks", Found(node), "a list of checks such as - sync.latency.p99 > 5 * async.latency.p99");
            return (checks, roles);
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"checks[{i}]";
            var item = list.Children[i];
            string? claim = null, qualifies = null;
            YamlNode textNode = item;
            if (item is YamlMappingNode map)
            {
                Keys(map, path, ScenarioKeys.CheckItem);
                if (Child(map, "check") is not { } c)
                {
                    Missing(map, $"{path}.check", "the check itself, e.g. check: sync.latency.p99 > 5 * async.latency.p99");
                    continue;
                }

                textNode = c;
                claim = Text(map, "claim", path, required: false);
                if (claim is not null && !claims.Contains(claim))
                {
                    Error(map.Children[new YamlScalarNode("claim")], $"{path}.claim", $"\"{claim}\"", $"one of this scenario's claims: {string.Join(", ", claims)}");
                }

                qualifies = Text(map, "qualifies", path, required: false);
                if (qualifies is not null) Template(map.Children[new YamlScalarNode("qualifies")], $"{path}.qualifies", qualifies);
            }

            if (textNode is not YamlScalarNode { Value: { } text })
            {
                Error(textNode, path, Found(textNode), "a check as text, e.g. sync.latency.p99 > 5 * async.latency.p99");
                continue;
            }

            CheckExpression check;
            try
            {
                check = CheckExpression.Parse(text);
            }
            catch (FormatException ex)
            {
                Error(textNode, path, $"\"{text}\" — {ex.Message}", "a check such as sync.latency.p99 > 5 * async.latency.p99");
                continue;
            }

            if (check.Metrics.All(m => Metric(textNode, path, m, $" in \"{text}\"")))
            {
                checks.Add(check);
                roles.Add(new CheckRole(claim, qualifies));
            }
        }

        return (checks, roles);
    }

    private Dictionary<string, ClaimEvidence> Evidence(YamlMappingNode root, List<string> claims)
    {
        var evidence = new Dictionary<string, ClaimEvidence>(StringComparer.Ordinal);
        if (Child(root, "evidence") is not { } node) return evidence;
        if (node is not YamlMappingNode map)
        {
            Error(node, "evidence", Found(node), "a mapping from claim id to { source, says, measured }");
            return evidence;
        }

        foreach (var (k, v) in map.Children)
        {
            var claim = ((YamlScalarNode)k).Value ?? "";
            var path = $"evidence.{claim}";
            if (!claims.Contains(claim))
            {
                Error(k, path, $"\"{claim}\"", $"one of this scenario's claims: {string.Join(", ", claims)}");
                continue;
            }

            if (v is not YamlMappingNode e)
            {
                Error(v, path, Found(v), "a mapping { source, says, measured }");
                continue;
            }

            Keys(e, path, ScenarioKeys.Evidence);
            var source = Text(e, "source", path, required: true);
            var says = Text(e, "says", path, required: true);
            var measured = Text(e, "measured", path, required: true);
            if (measured is not null) Template(e.Children[new YamlScalarNode("measured")], $"{path}.measured", measured);
            var chart = Text(e, "chart", path, required: false) ?? "latency";
            if (!ScenarioKeys.Charts.Contains(chart) && !(chart.StartsWith("outcomes-", StringComparison.Ordinal) && _declaredVariants.Contains(chart["outcomes-".Length..])))
            {
                Error(e.Children[new YamlScalarNode("chart")], $"{path}.chart", $"\"{chart}\"", $"a chart of the report: {string.Join(", ", ScenarioKeys.Charts)} or outcomes-<variant>");
            }

            if (source is not null && says is not null && measured is not null) evidence[claim] = new ClaimEvidence(source, says, measured, chart);
        }

        return evidence;
    }

    /// <summary>Checks every {variant.group.stat} placeholder of a text template.</summary>
    private void Template(YamlNode node, string path, string template)
    {
        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            var parts = m.Groups[1].Value.Split('.');
            if (parts.Length != 3)
            {
                Error(node, path, $"placeholder \"{{{m.Groups[1].Value}}}\"", "{variant.group.stat}, e.g. {sync.latency.p99}");
                continue;
            }

            Metric(node, path, new MetricRef(parts[0], parts[1], parts[2]), $" in placeholder {{{m.Groups[1].Value}}}");
        }
    }

    private bool Metric(YamlNode node, string path, MetricRef m, string where)
    {
        if (!_declaredVariants.Contains(m.Variant))
        {
            return !Error(node, path, $"variant \"{m.Variant}\"{where}", $"one of this scenario's variants: {string.Join(", ", _declaredVariants)}");
        }

        if (!MetricCatalog.IsKnown(m.Group, m.Stat))
        {
            return !Error(node, path, $"unknown metric \"{m.Group}.{m.Stat}\"{where}", $"one of {MetricCatalog.Describe()}");
        }

        return true;
    }

    // ---- small helpers over the YAML tree ----

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private void Keys(YamlMappingNode map, string path, string[] known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Error(key, Join(path, name), $"unknown key \"{name}\"", $"one of {string.Join(", ", known)}");
            }
        }
    }

    private string? Text(YamlMappingNode map, string key, string path, bool required, Regex? pattern = null, string? patternText = null)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return required ? Missing(map, Join(path, key), "a value") : null;
        }

        if (node is YamlScalarNode { Value: { } raw } && !string.IsNullOrWhiteSpace(raw))
        {
            // Folded block scalars (>) end with a newline; texts are used inline.
            var v = raw.Trim();
            if (pattern is null || pattern.IsMatch(v)) return v;
            Error(node, Join(path, key), $"\"{v}\"", patternText!);
            return null;
        }

        Error(node, Join(path, key), Found(node), "text");
        return null;
    }

    private double? Number(YamlMappingNode map, string key, string path, double min, double max, bool required, bool integer = false)
    {
        var node = Child(map, key);
        if (node is null)
        {
            if (required) Missing(map, Join(path, key), integer ? "a whole number" : "a number");
            return null;
        }

        var what = integer ? $"a whole number from {Fmt(min)} to {Fmt(max)}" : $"a number from {Fmt(min)} to {Fmt(max)}";
        if (node is YamlScalarNode { Value: { } v }
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && n >= min && n <= max && (!integer || n == Math.Floor(n)))
        {
            return n;
        }

        Error(node, Join(path, key), Found(node), what);
        return null;
    }

    private T? Invalid<T>(YamlNode node, string path, string found, string expected)
        where T : class
    {
        Error(node, path, found, expected);
        return null;
    }

    private LoadPhase? Invalid(YamlNode node, string path, string found, string expected) => Invalid<LoadPhase>(node, path, found, expected);

    private string? Missing(YamlNode parent, string path, string expected)
    {
        Error(parent, path, "nothing", expected);
        return null;
    }

    private bool Error(YamlNode node, string path, string found, string expected)
    {
        _errors.Add(new ScenarioError(_file, (int)node.Start.Line, (int)node.Start.Column, path, $"found {found}; expected {expected}"));
        return true;
    }

    private static string Found(YamlNode node) => node switch
    {
        YamlScalarNode { Value: var v } => $"\"{v}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Fmt(double v) => v >= int.MaxValue ? "∞" : v <= int.MinValue ? "-∞" : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex VariantPattern();

    [GeneratedRegex("^C[0-9]+$")]
    private static partial Regex ClaimPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvPattern();

    [GeneratedRegex(@"\{([^{}]+)\}")]
    public static partial Regex PlaceholderPattern();
}
