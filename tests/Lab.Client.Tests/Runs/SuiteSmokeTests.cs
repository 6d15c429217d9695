using Lab.Testing;
using System.Text.Json.Nodes;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// The quick claims suite end to end, in real processes, at 30 % of its length: the headline verdicts
/// must come out. Margins are the suite's own (ratios of 2.5× and more), wide enough for a noisy machine.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class SuiteSmokeTests
{
    [Fact]
    public async Task A_shortened_quick_suite_reproduces_C1_and_C6()
    {
        var dir = Processes.NewFolder();
        using var client = Processes.StartClient("suite", "--scale", "0.3", "--out", dir, "--progress", "none");
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(6));
        Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");

        var suite = Assert.Single(Directory.GetDirectories(dir));
        var claims = JsonNode.Parse(File.ReadAllText(Path.Combine(suite, "claims.json")))!["claims"]!.AsArray();
        string Verdict(string id) => (string)claims.Single(c => (string?)c!["id"] == id)!["verdict"]!;

        Assert.StartsWith("reproduced", Verdict("C1"), StringComparison.Ordinal);
        Assert.Equal("reproduced", Verdict("C6"));
        Assert.Equal("not applicable", Verdict("—"));
        Assert.True(File.Exists(Path.Combine(suite, "claims.html")));
        Assert.Contains("| C6 |", File.ReadAllText(Path.Combine(suite, "claims.md")), StringComparison.Ordinal);
        foreach (var report in claims.SelectMany(c => c!["reports"]!.AsArray()).Select(r => (string)r!).Distinct())
        {
            Assert.True(File.Exists(Path.Combine(suite, report)), $"the claims report links {report}, which is missing");
        }
    }
}
