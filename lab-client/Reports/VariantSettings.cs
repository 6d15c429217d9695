using Lab.Client.Analysis;

namespace Lab.Client.Reports;

/// <summary>What each variant ran with: endpoint, effective server settings (scenario's plus the variant's), environment, load.</summary>
public static class VariantSettings
{
    public static IReadOnlyList<(string Label, string Value)> Of(VariantAggregate v, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(report);
        var resolved = report.Run.Scenario.Variants.First(x => x.Name == v.Name);
        var knobs = resolved.Knobs.Count == 0 ? "lab-server defaults" : string.Join(", ", resolved.Knobs.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"));
        var env = resolved.Environment.Count == 0 ? "–" : string.Join(", ", resolved.Environment.Select(k => $"{k.Key}={k.Value}"));
        var load = $"{resolved.Load.Model}: " + string.Join(", ", resolved.Load.Phases.Select(p => $"{p.Label} for {RunReport.Format(p.DurationS)} s"));
        var server = report.Run.Manifest.Mode == "local" ? knobs : $"{knobs} (not applied: the server was started by hand; see run.json)";
        return
        [
            ("endpoint", resolved.EndpointText),
            ("server settings", server),
            ("environment", env),
            ("load", load),
            ("repetitions", v.Runs.Count == 1 ? "1" : $"{v.Runs.Count} ({string.Join(", ", v.Runs.Select(r => $"#{r.Summary.Repetition} {r.Summary.Status}"))})"),
        ];
    }
}
