using System.Text.Json;
using Lab.Client.Analysis;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Reports;

/// <summary>
/// <c>summary.json</c>: every variant's metrics (named as checks name them) as median, min–max and interval over
/// the repetitions, each repetition's own values, and the verdicts — written and read back through these records.
/// </summary>
public sealed record SummaryFile(
    int FormatVersion, string Scenario, string Run, string Status, bool Complete, bool ChecksPassed, int Repetitions,
    IReadOnlyList<ScenarioParameter> Parameters, IReadOnlyList<VariantSummaryFile> Variants, IReadOnlyList<VerdictFile> Verdicts)
{
    public const int CurrentFormatVersion = 2;

    public static SummaryFile Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new SummaryFile(
            CurrentFormatVersion, report.Run.ScenarioName, Path.GetFileName(report.Run.Folder), report.Run.Status, report.Run.Complete, report.ChecksPassed,
            report.Repetitions, report.Run.Scenario.Parameters,
            [.. report.Variants.Select(v => new VariantSummaryFile(
                v.Name, v.First.Endpoints, v.AllComplete, v.AnyClientLimited, v.ClientLimitedWhy,
                v.First.Metrics.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, k => MetricSpread.Of(v[k]), StringComparer.Ordinal),
                [.. v.Runs.Select(r => new RepetitionFile(r.Summary.Repetition, r.Summary.Status,
                    r.Summary.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => Round(m.Value), StringComparer.Ordinal)))]))],
            [.. report.Verdicts.Select(v => new VerdictFile(v.Expression, v.Problem ?? v.Substituted, v.Outcome.ToString().ToLowerInvariant(), v.Problem,
                v.Claim, v.Qualifies, v.Held, v.Judged, v.Repetitions))]);
    }

    public string ToJson() => JsonSerializer.Serialize(this, RunManifest.Json) + "\n";

    public static SummaryFile Read(string folder)
    {
        var path = Path.Combine(folder, "summary.json");
        var text = File.ReadAllText(path);
        var summary = JsonSerializer.Deserialize<SummaryFile>(text, RunManifest.Json) ?? throw new InvalidDataException($"{path} is empty.");
        return summary.FormatVersion == CurrentFormatVersion ? summary
            : throw new InvalidDataException($"{path} has format version {summary.FormatVersion}; this lab reads version {CurrentFormatVersion}.");
    }

    internal static double? Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
}

public sealed record VariantSummaryFile(
    string Name, string Endpoints, bool AllComplete, bool ClientLimited, IReadOnlyList<string> ClientLimitedWhy,
    IReadOnlyDictionary<string, MetricSpread> Metrics, IReadOnlyList<RepetitionFile> Repetitions);

public sealed record MetricSpread(double? Median, double? Min, double? Max, double? CiLow, double? CiHigh, int N)
{
    public static MetricSpread Of(Spread s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(SummaryFile.Round(s.Median), SummaryFile.Round(s.Min), SummaryFile.Round(s.Max),
            s.Ci95 is { } ci ? SummaryFile.Round(ci.Low) : null, s.Ci95 is { } c2 ? SummaryFile.Round(c2.High) : null, s.N);
    }
}

public sealed record RepetitionFile(int Repetition, string Status, IReadOnlyDictionary<string, double?> Metrics);

public sealed record VerdictFile(string Check, string Measured, string Outcome, string? Problem, string? Claim, string? Qualifies, int Held, int Judged, int Repetitions);
