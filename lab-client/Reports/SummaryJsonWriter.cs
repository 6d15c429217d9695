using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lab.Client.Reports;

/// <summary><c>summary.json</c>: per-variant metrics (named as checks name them) and the verdicts.</summary>
public static class SummaryJsonWriter
{
    public static string Write(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var variants = new JsonObject();
        foreach (var v in report.Variants)
        {
            var metrics = new JsonObject();
            foreach (var (k, value) in v.Summary.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                metrics[k] = double.IsFinite(value) ? Math.Round(value, 4) : null;
            }

            variants[v.Data.Name] = new JsonObject
            {
                ["status"] = v.Summary.Status,
                ["endpoints"] = v.Summary.Endpoints,
                ["clientLimited"] = v.Summary.ClientLimited,
                ["clientLimitedWhy"] = new JsonArray([.. v.Summary.ClientLimitedWhy.Select(w => (JsonNode?)w)]),
                ["metrics"] = metrics,
            };
        }

        var root = new JsonObject
        {
            ["scenario"] = report.Run.ScenarioName,
            ["run"] = Path.GetFileName(report.Run.Folder),
            ["complete"] = report.Run.Complete,
            ["checksPassed"] = report.ChecksPassed,
            ["variants"] = variants,
            ["verdicts"] = new JsonArray([.. report.Verdicts.Select(v => (JsonNode?)new JsonObject
            {
                ["check"] = v.Expression,
                ["measured"] = v.Substituted,
                ["passed"] = v.Passed,
                ["problem"] = v.Problem,
            })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
