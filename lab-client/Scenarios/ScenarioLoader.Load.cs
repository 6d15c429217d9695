using Lab.Client.Scenarios.Schema;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>Load profiles: the model, the phases (each kind with its parameters, from the phase table) and the hour-long bound.</summary>
public sealed partial class ScenarioLoader
{
    private LoadProfile? Load(YamlNode node, string path)
    {
        var section = ScenarioSchema.Load;
        if (node is not YamlMappingNode map)
        {
            Error(node, path, Found(node), "a mapping { model: open|closed, phases: [...] }");
            return null;
        }

        Keys(map, path, section);
        var modelText = Choice(map, section["model"], path);
        LoadModel? model = modelText switch
        {
            "open" => LoadModel.Open,
            "closed" => LoadModel.Closed,
            _ => null,
        };

        if (Child(map, "phases") is not { } phasesNode)
        {
            Error(map, $"{path}.phases", "nothing", "a non-empty list of phases such as - inject: { ratePerS: 100, durationS: 10 }");
            return null;
        }

        if (phasesNode is not YamlSequenceNode list)
        {
            Error(phasesNode, $"{path}.phases", Found(phasesNode), "a non-empty list of phases");
            return null;
        }

        if (!Count(list, section["phases"], $"{path}.phases")) return null;
        var phases = new List<LoadPhase>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Phase(list.Children[i], $"{path}.phases[{i}]", model) is { } phase) phases.Add(phase);
        }

        if (phases.Count != list.Children.Count || model is null) return null;
        var profile = new LoadProfile(model.Value, phases);
        if (profile.DurationS > ScenarioLimits.MaxProfileDurationS)
        {
            Error(list, $"{path}.phases", $"{profile.DurationS:0.#} s in all", $"at most {ScenarioLimits.MaxProfileDurationS:0} s (every load is bounded)");
            return null;
        }

        return profile;
    }

    private LoadPhase? Phase(YamlNode node, string path, LoadModel? model)
    {
        var kinds = string.Join(", ", ScenarioSchema.Phases.Select(k => k.Kind));
        if (node is not YamlMappingNode { Children.Count: 1 } map)
        {
            Error(node, path, Found(node), $"a mapping with one phase kind ({kinds}), e.g. - inject: {{ ratePerS: 100, durationS: 10 }}");
            return null;
        }

        var (kindNode, paramsNode) = map.Children.Single();
        if (KeyText(kindNode, path) is not { } kindName) return null;
        if (ScenarioSchema.Phases.FirstOrDefault(k => k.Kind == kindName) is not { } kind)
        {
            Error(kindNode, path, $"\"{Clip(kindName)}\"", $"a phase kind: {kinds}");
            return null;
        }

        if (model is { } m && !(m == LoadModel.Open ? kind.Open : kind.Closed))
        {
            var other = m == LoadModel.Open ? "closed" : "open";
            var allowed = ScenarioSchema.Phases.Where(k => m == LoadModel.Open ? k.Open : k.Closed).Select(k => k.Kind);
            Error(kindNode, path, $"\"{kindName}\" in a {m.ToString().ToLowerInvariant()} model",
                $"{string.Join(", ", allowed)} ({kindName} belongs to the {other} model: set model: {other})");
            return null;
        }

        var p = $"{path}.{kindName}";
        if (paramsNode is not YamlMappingNode args)
        {
            Error(paramsNode, p, Found(paramsNode), $"a mapping with {string.Join(", ", kind.Parameters.Keys)}");
            return null;
        }

        Keys(args, p, kind.Parameters);
        var values = kind.Parameters.Fields.ToDictionary(f => f.Key, f => Number(args, f, p), StringComparer.Ordinal);
        if (values.Values.Any(v => v is null)) return null;
        double V(string key) => values[key]!.Value;
        // --scale: a duration written as a number is scaled here; one written as a parameter was scaled with the parameter.
        var literal = Child(args, "durationS") is YamlScalarNode { Value: { } raw } && double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
        var d = literal && _scale != 1 ? Math.Max(0.5, Math.Round(V("durationS") * _scale, 3)) : V("durationS");
        return kindName switch
        {
            "inject" => new InjectPhase(V("ratePerS"), d),
            "ramp" => V("fromPerS") == 0 && V("toPerS") == 0
                ? Invalid<LoadPhase>(args, p, "a ramp from 0 to 0", "a ramp with some rate (use pause for none)")
                : new RampPhase(V("fromPerS"), V("toPerS"), d),
            "randomRate" => V("minPerS") > V("maxPerS")
                ? Invalid<LoadPhase>(args, $"{p}.minPerS", $"{Fmt(V("minPerS"))}, above maxPerS {Fmt(V("maxPerS"))}", "minPerS <= maxPerS")
                : new RandomRatePhase(V("minPerS"), V("maxPerS"), d),
            "pause" => new PausePhase(d),
            "keepConcurrent" => new KeepConcurrentPhase((int)V("users"), d),
            _ => new RampConcurrentPhase((int)V("fromUsers"), (int)V("toUsers"), d),
        };
    }
}
