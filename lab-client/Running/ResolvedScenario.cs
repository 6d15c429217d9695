using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>The scenario after defaults and overrides, as recorded in run.json.</summary>
public static class ResolvedScenario
{
    public static object Of(Scenario s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new
        {
            s.Name,
            s.Claims,
            s.BackendKnobs,
            Client = s.Client,
            s.Suite,
            Checks = s.Checks.Select((c, i) => new
            {
                Check = c.Text,
                Claim = i < s.CheckRoles.Count ? s.CheckRoles[i].Claim : null,
                Qualifies = i < s.CheckRoles.Count ? s.CheckRoles[i].Qualifies : null,
            }).ToArray(),
            s.Evidence,
            Variants = s.Variants.Select(v => new
            {
                v.Name,
                v.Description,
                Endpoints = v.Endpoints.Select(e => new { Endpoint = e.PathAndQuery, e.Weight }).ToArray(),
                Knobs = v.ServerKnobs,
                v.Environment,
                Load = Load(v.Load),
            }).ToArray(),
        };
    }

    public static object Load(LoadProfile load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var starts = load.PhaseStartsS;
        return new
        {
            Model = load.Model.ToString().ToLowerInvariant(),
            load.DurationS,
            Phases = load.Phases.Select((p, i) => new Dictionary<string, object>
            {
                ["index"] = i,
                ["kind"] = p.Kind,
                ["label"] = p.Label,
                ["startS"] = starts[i],
                ["durationS"] = p.DurationS,
                ["parameters"] = p,
            }).ToArray(),
        };
    }
}
