using Lab.Server.Server.Probes;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>
/// lab-server/README.md lists every probe's <c>Server-Timing</c> names between <see cref="ProbeMetrics.BeginMarker"/>
/// and <see cref="ProbeMetrics.EndMarker"/>, written from <see cref="ProbeMetrics.All"/>; with <c>LAB_ACCEPT_README=1</c>
/// the test writes it there itself (then review the diff).
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ProbeReadmeTests
{
    private static readonly string s_path = Path.Combine(
        LabServerDll.RepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no Lab.sln above the test output"),
        "lab-server", "README.md");

    [Fact]
    public void The_readme_probe_timing_table_is_the_one_the_probe_metrics_generate()
    {
        var expected = ProbeMetrics.Markdown();
        var text = File.ReadAllText(s_path).ReplaceLineEndings("\n");
        var from = text.IndexOf(ProbeMetrics.BeginMarker + "\n", StringComparison.Ordinal);
        var to = text.IndexOf(ProbeMetrics.EndMarker, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"lab-server/README.md has no section between {ProbeMetrics.BeginMarker} and {ProbeMetrics.EndMarker}; add one holding:\n{expected}");
        var actual = text[(from + ProbeMetrics.BeginMarker.Length + 1)..to];
        if (actual != expected && Environment.GetEnvironmentVariable(ReadmeTests.AcceptVariable) == "1")
        {
            File.WriteAllText(s_path, text[..(from + ProbeMetrics.BeginMarker.Length + 1)] + expected + text[to..]);
            return;
        }

        Assert.True(actual == expected,
            $"lab-server/README.md between the probe-timing markers differs from what the code generates. Replace it with:\n{ProbeMetrics.BeginMarker}\n{expected}{ProbeMetrics.EndMarker}");
    }
}
