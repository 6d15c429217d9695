using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Client.Scenarios.Schema;
using Lab.Contracts;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>Variants, their endpoints and environment, and the lab-server knobs of the backend, the scenario and each variant.</summary>
public sealed partial class ScenarioLoader
{
    private List<Variant> Variants(YamlMappingNode root, Dictionary<string, string> serverKnobs, LoadProfile? scenarioLoad)
    {
        var field = ScenarioSchema.Top["variants"];
        var section = ScenarioSchema.Variant;
        var variants = new List<Variant>();
        if (Child(root, "variants") is not { } node)
        {
            Error(root, "variants", "nothing", "a list of variants, each with a name and an endpoint");
            return variants;
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, "variants", Found(node), "a non-empty list of variants");
            return variants;
        }

        if (!Count(list, field, "variants")) return variants;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"variants[{i}]";
            if (list.Children[i] is not YamlMappingNode map)
            {
                Error(list.Children[i], path, Found(list.Children[i]), "a mapping with name and endpoint (or mix)");
                continue;
            }

            Keys(map, path, section);
            var name = Text(map, section["name"], path);
            if (name is not null) _declaredVariants.Add(name);
            if (name is not null && !names.Add(name))
            {
                Error(Child(map, "name")!, $"{path}.name", $"\"{name}\" a second time", "a name no other variant has");
            }

            var endpoints = Endpoints(map, path);
            var overrides = Knobs(map, section["server"], $"{path}.server");
            var env = EnvironmentVariables(map, section["env"], path);
            var model = Child(map, "model") is { } modelNode ? Model(modelNode, $"{path}.model") : null;
            var load = Child(map, "load") is { } loadNode ? Load(loadNode, $"{path}.load") : scenarioLoad;
            if (load is null && Child(map, "load") is null && Child(root, "load") is null)
            {
                Error(map, $"{path}.load", "nothing", "a load profile here or at the top of the file");
            }

            if (name is null || endpoints is null || load is null) continue;
            var knobs = new Dictionary<string, string>(serverKnobs, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in overrides) knobs[k] = v;
            Combinations(knobs, Child(map, "server") ?? Child(root, "server") ?? map, $"{path}.server");
            variants.Add(new Variant
            {
                Name = name,
                Description = Text(map, section["description"], path),
                Endpoints = endpoints,
                ServerKnobs = knobs,
                Environment = env,
                Load = load,
                Model = model,
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
            return Endpoint(single, ScenarioSchema.Variant["endpoint"], $"{path}.endpoint") is { } e ? [new EndpointShare(e, 1)] : null;
        }

        var field = ScenarioSchema.Variant["mix"];
        if (mix is not YamlSequenceNode items)
        {
            Error(mix!, $"{path}.mix", Found(mix!), "a non-empty list of { endpoint, weight }");
            return null;
        }

        if (!Count(items, field, $"{path}.mix")) return null;
        var shares = new List<EndpointShare>();
        for (var i = 0; i < items.Children.Count; i++)
        {
            var itemPath = $"{path}.mix[{i}]";
            if (items.Children[i] is not YamlMappingNode item)
            {
                Error(items.Children[i], itemPath, Found(items.Children[i]), "a mapping { endpoint, weight }");
                continue;
            }

            Keys(item, itemPath, ScenarioSchema.MixItem);
            var endpoint = Child(item, "endpoint") is { } e
                ? Endpoint(e, ScenarioSchema.MixItem["endpoint"], $"{itemPath}.endpoint")
                : Missing(item, $"{itemPath}.endpoint", "a path such as /fast");
            var weight = Number(item, ScenarioSchema.MixItem["weight"], itemPath);
            if (endpoint is not null && weight is not null) shares.Add(new EndpointShare(endpoint, (int)weight));
        }

        return shares.Count == items.Children.Count ? shares : null;
    }

    private string? Endpoint(YamlNode node, Field field, string path)
    {
        const string Expected = "a path and query on the server starting with '/', e.g. /sync?delayMs=500";
        if (node is not YamlScalarNode { Value: { } raw } || raw.Length > field.MaxLength)
        {
            Error(node, path, node is YamlScalarNode { Value: { } long_ } ? $"{long_.Length:N0} characters" : Found(node), Expected);
            return null;
        }

        if (Substitute(node, path, raw.Trim()) is not { } v) return null;
        if (v.StartsWith('/') && !v.Any(char.IsWhiteSpace) && Uri.TryCreate("http://x" + v, UriKind.Absolute, out _)) return v;
        Error(node, path, $"\"{Clip(v)}\"", Expected);
        return null;
    }

    private Dictionary<string, string> EnvironmentVariables(YamlMappingNode map, Field field, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(map, "env") is not { } node) return env;
        if (node is not YamlMappingNode vars)
        {
            Error(node, $"{path}.env", Found(node), "a mapping of environment variables, e.g. { DOTNET_gcServer: \"0\" }");
            return env;
        }

        if (vars.Children.Count > field.MaxItems) Error(vars, $"{path}.env", $"{vars.Children.Count} variables", $"at most {field.MaxItems}");
        foreach (var (k, v) in vars.Children)
        {
            if (KeyText(k, $"{path}.env") is not { } name) continue;
            if (!Regex.IsMatch(name, field.KeyPattern!))
            {
                Error(k, $"{path}.env.{Clip(name)}", $"\"{Clip(name)}\"", field.KeyPatternText!);
            }
            else if (v is not YamlScalarNode { Value: { } value } || value.Length > field.Item!.MaxLength)
            {
                Error(v, $"{path}.env.{name}", Found(v), "a single value");
            }
            else if (Substitute(v, $"{path}.env.{name}", value) is { } filled)
            {
                env[name] = filled;
            }
        }

        return env;
    }

    /// <summary>lab-server settings: known, settable, each valid; numbers may be parameter expressions, texts may hold {param}.</summary>
    private Dictionary<string, string> Knobs(YamlMappingNode parent, Field field, string path)
    {
        var knobs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Child(parent, field.Key) is not { } node) return knobs;
        if (node is not YamlMappingNode map)
        {
            Error(node, path, Found(node), "a mapping of lab-server settings, e.g. { minWorkerThreads: 200 }");
            return knobs;
        }

        var settable = ServerKnobs.All.Where(x => !x.SetByOrchestrator && (field.Role == "server" || x.Roles == KnobRoles.Both)).ToList();
        foreach (var (k, v) in map.Children)
        {
            if (KeyText(k, path) is not { } name) continue;
            var knob = ServerKnobs.Find(name);
            if (knob is null || knob.SetByOrchestrator || !settable.Contains(knob))
            {
                Error(k, $"{path}.{Clip(name)}",
                    knob is null ? $"unknown setting \"{Clip(name)}\""
                    : knob.SetByOrchestrator ? $"\"{name}\", which the orchestrator sets itself"
                    : $"\"{name}\", which the {field.Role} role does not read",
                    $"one of {string.Join(", ", settable.Select(x => x.CamelName))} (lab-server/README.md)");
                continue;
            }

            if (v is not YamlScalarNode { Value: { } raw } || string.IsNullOrWhiteSpace(raw))
            {
                Error(v, $"{path}.{name}", Found(v), "a single value");
                continue;
            }

            var value = raw.Trim();
            if (knob.Kind is KnobKind.WholeNumber && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                && Evaluate(v, $"{path}.{name}", value, new Field(name, FieldType.WholeNumber, knob.Description) { Min = knob.Min, Max = knob.Max }) is { } n)
            {
                value = n.ToString("0.######", CultureInfo.InvariantCulture);
            }
            else if (knob.Kind is KnobKind.ConnectionLimit && ConnectionLimits.TryParse(value, _processorCount) is null && !value.Contains('{', StringComparison.Ordinal)
                && Evaluate(v, $"{path}.{name}", value, new Field(name, FieldType.WholeNumber, knob.Description) { Min = 1, Max = ConnectionLimits.MaxConnections }) is { } cap)
            {
                value = cap.ToString("0", CultureInfo.InvariantCulture);
            }
            else if (knob.Kind is not KnobKind.WholeNumber)
            {
                value = Substitute(v, $"{path}.{name}", value) ?? value;
            }

            if (knob.Check(value, _processorCount) is { } expected)
            {
                Error(v, $"{path}.{name}", value == raw.Trim() ? Found(v) : $"\"{Clip(value)}\" (from {Clip(raw.Trim())})", expected);
            }
            else
            {
                knobs[knob.Name] = value;
            }
        }

        if (field.Role == "backend") Combinations(knobs, map, path);
        return knobs;
    }

    /// <summary>Knob values that are valid alone but not together (min threads above max, a queue without a limiter).</summary>
    private void Combinations(IReadOnlyDictionary<string, string> knobs, YamlNode where, string path)
    {
        foreach (var conflict in ServerKnobRules.Check(knobs, _processorCount))
        {
            var node = where is YamlMappingNode m && Child(m, char.ToLowerInvariant(conflict.Knob[0]) + conflict.Knob[1..]) is { } n ? n : where;
            Error(node, $"{path}.{char.ToLowerInvariant(conflict.Knob[0])}{conflict.Knob[1..]}", conflict.Message, "settings the server accepts together");
        }
    }
}
