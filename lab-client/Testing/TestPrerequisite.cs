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
        new("prometheus", "prometheus", ["/usr/bin/prometheus"], "scrapes /metrics and node_exporter through a stall"),
        new("node_exporter", "prometheus-node-exporter", ["/usr/bin/prometheus-node-exporter"], "serves the sampler's Prometheus textfile through a stall"),
        new("ip", "iproute2", ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"], "makes the network namespaces of the multi-host test"),
        new("DejaVu Sans", Reports.ChartRenderer.FontPackage, [Reports.ChartRenderer.FontFile], "the charts' fixed font, so they look the same on every machine"),
    ];

    public bool IsInstalled => Candidates.Any(File.Exists);
}
