using Lab.Client.Scenarios;

namespace Lab.Client.Commands;

/// <summary>A scenario file's name and the parameters it declares, read before it is loaded with its overrides.</summary>
public sealed record ScenarioIdentity(string? Name, IReadOnlySet<string> Parameters);

/// <summary>
/// <c>--set</c> over several scenarios, the same way for <c>suite</c> and <c>validate</c>: <c>name=value</c> goes to
/// every scenario that declares the parameter, <c>scenario:name=value</c> to that scenario only (and wins over a plain
/// one). A scenario name none of them has is an error.
/// </summary>
public static class SetOverrides
{
    /// <summary>"c1-burst:ratePerS" → ("c1-burst", "ratePerS"); "ratePerS" → (null, "ratePerS").</summary>
    public static (string? Scenario, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (null, key) : (key[..colon], key[(colon + 1)..]);
    }

    /// <summary>
    /// Each scenario's own overrides, in the order given. A plain name no scenario declares goes to every one, so each
    /// says so with its file and line; a <c>scenario:</c> prefix naming no scenario is an error here.
    /// </summary>
    public static (List<Dictionary<string, string>> PerScenario, List<string> Errors) PerScenario(
        IReadOnlyList<ScenarioIdentity> scenarios, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(overrides);
        var errors = overrides.Keys.Select(k => (Key: k, Split(k).Scenario))
            .Where(k => k.Scenario is not null && !scenarios.Any(s => s.Name == k.Scenario))
            .Select(k => $"--set {k.Key}=…: no scenario named \"{k.Scenario}\" among {(scenarios.Count == 0 ? "none" : string.Join(", ", scenarios.Select(s => s.Name ?? "(unnamed)")))} (scenario:name=value sets that scenario's parameter).")
            .ToList();
        var per = new List<Dictionary<string, string>>();
        foreach (var s in scenarios)
        {
            var mine = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in overrides.OrderBy(o => o.Key.Contains(':', StringComparison.Ordinal)))
            {
                var (scenario, name) = Split(key);
                var applies = scenario is null
                    ? s.Parameters.Contains(name) || !scenarios.Any(x => x.Parameters.Contains(name))
                    : scenario == s.Name;
                if (applies) mine[name] = value;
            }

            per.Add(mine);
        }

        return (per, errors);
    }

    /// <summary>
    /// The scenario's name and declared parameters, from loading it as it is (through the loader and its limits);
    /// empty when it does not load so (loading it with its overrides says why).
    /// </summary>
    public static ScenarioIdentity Identify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var s = ScenarioLoader.Load(path);
            return new ScenarioIdentity(s.Name, s.Parameters.Where(p => p.Origin != ScenarioParameter.BuiltIn).Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
        }
        catch (ScenarioException)
        {
            return new ScenarioIdentity(null, new HashSet<string>());
        }
    }
}
