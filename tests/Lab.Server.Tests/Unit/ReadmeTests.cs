using Lab.Server.Hosting;
using Lab.Server.Telemetry.Metrics;
using Lab.Server.Telemetry.Textfile;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>
/// lab-server/README.md holds generated sections: the <c>--help</c> text, the knob table, and the metric-name tables of
/// <c>/metrics</c> and of the Prometheus textfile. Each must equal what
/// the code generates now; on a mismatch the failure prints the text to paste between the markers, and with
/// <c>LAB_ACCEPT_README=1</c> the test writes it there itself (then review the diff).
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ReadmeTests
{
    public const string HelpBegin = "<!-- help:begin -->";
    public const string HelpEnd = "<!-- help:end -->";
    public const string AcceptVariable = "LAB_ACCEPT_README";

    private static readonly string s_path = Path.Combine(
        LabServerDll.RepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no Lab.sln above the test output"),
        "lab-server", "README.md");

    /// <summary>The README's opening block: the command and its output.</summary>
    public static string HelpSection() =>
        "```text\n$ dotnet lab-server/bin/Release/net10.0/Lab.Server.dll --help\n" + Usage.Text + "```\n";

    [Fact]
    public void The_readme_knob_table_is_the_one_the_knob_table_generates() =>
        AssertSection(KnobTable.BeginMarker, KnobTable.EndMarker, KnobTable.Markdown());

    [Fact]
    public void The_readme_metric_names_are_the_ones_the_name_table_generates() =>
        AssertSection(MetricNames.BeginMarker, MetricNames.EndMarker, MetricNames.Markdown());

    [Fact]
    public void The_readme_textfile_families_are_the_ones_the_textfile_table_generates() =>
        AssertSection(TextfileMetrics.BeginMarker, TextfileMetrics.EndMarker, TextfileMetrics.Markdown());

    [Fact]
    public void The_readme_opens_with_the_help_text_the_code_prints() =>
        AssertSection(HelpBegin, HelpEnd, HelpSection());

    private static void AssertSection(string begin, string end, string expected)
    {
        var text = File.ReadAllText(s_path).ReplaceLineEndings("\n");
        var from = text.IndexOf(begin + "\n", StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"lab-server/README.md has no section between {begin} and {end}; add one holding:\n{expected}");
        var actual = text[(from + begin.Length + 1)..to];
        if (actual != expected && Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(s_path, text[..(from + begin.Length + 1)] + expected + text[to..]);
            return;
        }

        Assert.True(actual == expected,
            $"lab-server/README.md between {begin} and {end} differs from what the code generates. Replace it with:\n{begin}\n{expected}{end}");
    }
}
