using System.Globalization;
using Lab.Client.Scenarios;

namespace Lab.Client.Reports;

/// <summary>What was run, when, on what, with which parameters: read from run.json for every report format.</summary>
public sealed record RunHeader(
    string Scenario, string Description, string Claims, string Status, IReadOnlyList<string> Reasons,
    string Started, string Ended, string Machine, string Runtime, string Commit, string CommandLine, string RunId,
    IReadOnlyList<ScenarioParameter> Parameters, int Repetitions)
{
    public static RunHeader Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var m = report.Run.Manifest;
        var machine = m.Machine;
        var commit = machine.GitCommit ?? "unknown";
        if (machine.GitDirty == true) commit += " (with uncommitted changes)";
        return new RunHeader(
            report.Run.ScenarioName,
            ScenarioLoader.FillFormulas(m.Scenario.Description, report.Parameters),
            m.Scenario.Claims.Count == 0 ? "none (an experiment outside the claims catalogue)" : string.Join(", ", m.Scenario.Claims),
            report.Run.Status,
            report.Run.Reasons,
            Time(m.StartedUtc),
            m.EndedUtc is { } e ? Time(e) : "–",
            $"{machine.HostName}: {machine.Hardware}",
            machine.Runtime,
            commit,
            m.CommandLine,
            m.RunId,
            [.. m.Scenario.Resolved.Parameters.Where(p => p.Origin != ScenarioParameter.BuiltIn || p.Name == ScenarioLoader.CpusParameter)],
            report.Repetitions);
    }

    /// <summary>"delayMs = 500 ms, calls = 3, ratePerS = 150 /s (--set), cpus = 2".</summary>
    public string ParameterText => Parameters.Count == 0 ? "none"
        : string.Join(", ", Parameters.Select(p => $"{p.Name} = {p.Text}{(p.Unit is null ? "" : " " + p.Unit)}{(p.Origin == ScenarioParameter.FromFile ? "" : $" ({p.Origin})")}"));

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
