using System.Globalization;
using System.Text.Json.Nodes;
using Lab.Client.Analysis;
using Lab.Contracts;

namespace Lab.Client.Reports;

/// <summary>
/// What each variant ran with: endpoint, the server settings in effect as the server itself reported them
/// (<c>/lab/info</c>, recorded in run.json) with the scenario's configured expression beside a value it resolved
/// ("24 (configured 12xCPU)"), the runtime, environment, load. A foreign target reports nothing: "not reported".
/// </summary>
public static class VariantSettings
{
    /// <summary>Knobs shown for every variant, set or not: the ones the claims turn on. Others show when a scenario sets them.</summary>
    public static readonly IReadOnlyList<string> Always =
        ["MinWorkerThreads", "MaxWorkerThreads", "MaxConnectionsPerServer", "ConcurrencyLimit", "QueueLimit", "RequestTimeoutMs", "PrewarmConnections"];

    public static IReadOnlyList<(string Label, string Value)> Of(VariantAggregate v, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(report);
        var resolved = report.Run.Scenario.Variants.First(x => x.Name == v.Name);
        var info = v.Runs.Select(r => r.Data.Run.Server.Info).FirstOrDefault(i => i is not null);
        var env = resolved.Environment.Count == 0 ? "–" : string.Join(", ", resolved.Environment.Select(k => $"{k.Key}={k.Value}"));
        var load = $"{resolved.Load.Model}: " + string.Join(", ", resolved.Load.Phases.Select(p => $"{p.Label} for {RunReport.Format(p.DurationS)} s"));
        var server = Effective(info, resolved.Knobs, report.Run.Scenario.Target is not null);
        if (report.Run.Manifest.Mode != "local" && resolved.Knobs.Count > 0)
        {
            server += $" (configured {string.Join(", ", resolved.Knobs.Select(k => $"{k.Key}={k.Value}"))} not applied: the server was started by hand)";
        }

        return
        [
            ("endpoint", resolved.EndpointText),
            ("server settings in effect", server),
            ("server runtime", Runtime(info)),
            ("environment", env),
            ("load", load),
            ("repetitions", v.Runs.Count == 1 ? "1" : $"{v.Runs.Count} ({string.Join(", ", v.Runs.Select(r => $"#{r.Summary.Repetition} {r.Summary.Status}"))})"),
        ];
    }

    /// <summary>
    /// "MinWorkerThreads 2 · MaxConnectionsPerServer 24 (configured 12xCPU) · ConcurrencyLimit off …": each value as
    /// the server reported it; the pool's limits as the runtime has them. "not reported" when the server said nothing.
    /// </summary>
    public static string Effective(JsonNode? info, IReadOnlyDictionary<string, string> configured, bool foreignTarget = false)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (info is null)
        {
            var set = configured.Count == 0 ? "" : $"; configured {string.Join(", ", configured.Select(k => $"{k.Key}={k.Value}"))}";
            return (foreignTarget ? "not reported (a foreign target)" : "not reported") + set;
        }

        var settings = info["settings"] as JsonObject ?? [];

        var parts = new List<string>();
        foreach (var knob in ServerKnobs.All.Where(k => !k.SetByOrchestrator))
        {
            var mine = configured.FirstOrDefault(c => string.Equals(c.Key, knob.Name, StringComparison.OrdinalIgnoreCase)).Value;
            if (mine is null && !Always.Contains(knob.Name)) continue;
            // A queue limit means something only behind a concurrency limiter.
            if (mine is null && knob.Name == "QueueLimit" && settings["concurrencyLimit"] is null) continue;
            var value = knob.Name switch
            {
                "MinWorkerThreads" => Text(info["threadPool"]?["minWorkerThreads"]),
                "MaxWorkerThreads" => Text(info["threadPool"]?["maxWorkerThreads"]),
                _ => settings.TryGetPropertyValue(knob.CamelName, out var node) ? (node is null ? Unset(knob) : Text(node)) : null,
            };
            if (value is null)
            {
                if (mine is not null) parts.Add($"{knob.Name} {mine} (configured; not reported)");
                continue;
            }

            parts.Add(mine is null || string.Equals(mine.Trim(), value, StringComparison.OrdinalIgnoreCase) ? $"{knob.Name} {value}" : $"{knob.Name} {value} (configured {mine})");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>".NET 10.0.12, server GC, 2 CPUs" as the server reported it; "not reported" otherwise.</summary>
    public static string Runtime(JsonNode? info)
    {
        if (info?["runtime"] is not JsonValue runtime || !runtime.TryGetValue<string>(out var text)) return "not reported";
        var gc = info["serverGc"] is JsonValue g && g.TryGetValue<bool>(out var server) ? (server ? ", server GC" : ", workstation GC") : "";
        var cpus = info["processorCount"] is JsonValue c && c.TryGetValue<int>(out var n) ? string.Create(CultureInfo.InvariantCulture, $", {n} CPUs") : "";
        return text + gc + cpus;
    }

    /// <summary>A reported value in words: a connection limit as its count or "unlimited".</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o when o["isUnlimited"] is JsonValue u && u.TryGetValue<bool>(out var unlimited) => unlimited ? "unlimited" : Text(o["connections"]),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "on" : "off",
        JsonValue v => v.ToJsonString().Trim('"'),
        _ => node.ToJsonString(),
    };

    /// <summary>A setting the server left unset: the knob's default in words ("off", "none", "unlimited").</summary>
    private static string Unset(ServerKnob knob) => knob.Default;
}
