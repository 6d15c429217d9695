using Lab.Client.Tests.Runs;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// What <c>lab-client report</c> prints, from a real process: Skia's native code writes to the process's own stderr,
/// which no in-process test can see.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class ReportConsoleTests
{
    [Fact]
    public async Task Drawing_a_reports_dashed_lines_prints_nothing_from_skia()
    {
        var folder = FixtureRun.Create(checks: """["slow.threads.max >= 5"]"""); // a check that passes: exit code 0
        using var client = Processes.StartClient("report", folder);
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, client.ExitCode);
        // Before: "Unsupported path effect in addPaint." once per dashed path and per fill or text drawn after one.
        Assert.DoesNotContain("Unsupported", await stdout, StringComparison.Ordinal);
        Assert.Equal("", (await stderr).Trim());
        Assert.Contains("stroke-dasharray", File.ReadAllText(Path.Combine(folder, "threads.svg")), StringComparison.Ordinal); // it did draw dashes
    }
}
