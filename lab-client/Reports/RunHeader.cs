using System.Text.Json.Nodes;

namespace Lab.Client.Reports;

/// <summary>What was run, when, on what: read from run.json for both report formats.</summary>
public sealed record RunHeader(
    string Scenario, string Description, string Claims, string Status, IReadOnlyList<string> Reasons,
    string Started, string Ended, string Machine, string Runtime, string Commit, string CommandLine, string RunId)
{
    public static RunHeader Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Run.Manifest;
        var machine = m["machine"];
        var reasons = (m["reasons"]?.AsArray().Select(r => (string)r!) ?? [])
            .Concat(m["variants"]?.AsArray().Where(v => v?["reason"] is not null).Select(v => $"{v!["name"]}: {v["reason"]}") ?? [])
            .ToList();
        var memoryGb = ((long?)machine?["memoryBytes"] ?? 0) / (1024.0 * 1024 * 1024);
        var commit = (string?)machine?["gitCommit"] ?? "unknown";
        if ((bool?)machine?["gitDirty"] == true) commit += " (with uncommitted changes)";
        return new RunHeader(
            report.Run.ScenarioName,
            (string?)m["scenario"]?["description"] ?? "",
            string.Join(", ", m["scenario"]?["claims"]?.AsArray().Select(c => (string)c!) ?? []),
            (string?)m["status"] ?? "unknown",
            reasons,
            Time(m["startedUtc"]),
            Time(m["endedUtc"]),
            $"{machine?["hostName"]}: {machine?["os"]}, {machine?["architecture"]}, {machine?["processorCount"]} cores, {memoryGb:0.#} GiB",
            (string?)machine?["runtime"] ?? "",
            commit,
            (string?)m["commandLine"] ?? "",
            (string?)m["runId"] ?? Path.GetFileName(report.Run.Folder));
    }

    private static string Time(JsonNode? node) =>
        node is null ? "–" : DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
