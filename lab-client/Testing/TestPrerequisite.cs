namespace Lab.Client.Testing;

/// <summary>
/// A Debian package the test suite needs, and the file that shows it is installed. The test suite's own
/// list (tests/Lab.Testing/Prerequisite.cs) names the same ones; a unit test keeps the two equal.
/// </summary>
public sealed record TestPrerequisite(string Name, string DebianPackage, IReadOnlyList<string> Candidates, string Purpose)
{
    public static readonly IReadOnlyList<TestPrerequisite> All =
    [
        new("chromium", "chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"], "renders report.html headless"),
        new("promtool", "prometheus", ["/usr/bin/promtool"], "lints a live /metrics exposition"),
    ];

    public bool IsInstalled => Candidates.Any(File.Exists);
}
