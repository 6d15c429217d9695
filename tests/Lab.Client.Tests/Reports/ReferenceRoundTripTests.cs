using System.Text.Json;
using System.Text.Json.Nodes;
using Lab.Client.Claims;
using Lab.Client.Recording;
using Lab.Client.Reports;
using Lab.Client.Running;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// The committed reference run is read back through the records its files are written from (run.json, summary.json,
/// claims.json), and writing those records again gives the same JSON: nothing is lost or renamed on the way, and a
/// format change that would orphan the reference fails here first.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ReferenceRoundTripTests
{
    private static readonly string s_reference = Path.Combine(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!, "results", "reference");

    public static TheoryData<string> RunFolders()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.GetDirectories(s_reference).Where(d => File.Exists(Path.Combine(d, "run.json"))).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(d));
        return data;
    }

    /// <summary>
    /// Equal JSON, except for properties the reference lacks: settings and fields added since it was recorded (read
    /// back as their defaults). A renamed or dropped field, or a changed value, still fails.
    /// </summary>
    private static void SameJson(string expected, string actual, string what)
    {
        var e = JsonNode.Parse(expected);
        var a = JsonNode.Parse(actual);
        DropAdded(e, a);
        if (JsonNode.DeepEquals(e, a)) return;
        var written = Path.Combine(Path.GetTempPath(), "round-trip-" + what.Replace('/', '-'));
        File.WriteAllText(written, actual);
        Assert.Fail($"{what} changed when read and written back (what the lab writes now: {written})");
    }

    private static void DropAdded(JsonNode? expected, JsonNode? actual)
    {
        if (expected is JsonObject eo && actual is JsonObject ao)
        {
            foreach (var name in ao.Select(p => p.Key).ToList())
            {
                if (!eo.ContainsKey(name)) ao.Remove(name);
                else DropAdded(eo[name], ao[name]);
            }
        }
        else if (expected is JsonArray ea && actual is JsonArray aa)
        {
            for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++) DropAdded(ea[i], aa[i]);
        }
    }

    [Theory]
    [MemberData(nameof(RunFolders))]
    public void Each_reference_run_reads_back_through_its_records_and_writes_the_same_json(string run)
    {
        var folder = Path.Combine(s_reference, run);
        var manifest = RunManifest.Read(folder);
        Assert.Equal(RunManifest.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal(RunStatus.Complete, manifest.Status);
        SameJson(File.ReadAllText(Path.Combine(folder, "run.json")), JsonSerializer.Serialize(manifest, RunManifest.Json), $"{run}/run.json");

        var summary = SummaryFile.Read(folder);
        Assert.Equal(SummaryFile.CurrentFormatVersion, summary.FormatVersion);
        SameJson(File.ReadAllText(Path.Combine(folder, "summary.json")), summary.ToJson(), $"{run}/summary.json");
    }

    [Fact]
    public void The_reference_claims_report_reads_back_and_covers_every_catalogued_claim()
    {
        var path = Path.Combine(s_reference, "claims.json");
        var claims = ClaimsFile.Read(path);
        Assert.Equal(ClaimsFile.CurrentFormatVersion, claims.FormatVersion);
        SameJson(File.ReadAllText(path), JsonSerializer.Serialize(claims, RunManifest.Json), "claims.json");
        Assert.Equal(ClaimCatalog.All.Select(c => c.Id).Order(StringComparer.Ordinal), claims.Claims.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.All(claims.Claims.SelectMany(c => c.Reports.Concat(c.Charts)), p => Assert.True(File.Exists(Path.Combine(s_reference, p)), $"claims.json points to {p}, which is not committed"));
    }
}
