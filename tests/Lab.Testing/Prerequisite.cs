using Xunit;

namespace Lab.Testing;

/// <summary>
/// A tool a test needs from the machine (Chromium, promtool, …). When it is missing the test is skipped
/// with the reason and the command that installs it — never a silent pass. CI sets
/// <see cref="RefuseSkipsVariable"/>, which turns the skip into a failure: there, a missing tool means the
/// install step is broken.
/// </summary>
public sealed record Prerequisite(string Name, string DebianPackage, IReadOnlyList<string> Candidates, string Purpose)
{
    /// <summary>Set to 1 (CI does) and a missing prerequisite fails the test instead of skipping it.</summary>
    public const string RefuseSkipsVariable = "LAB_TESTS_REFUSE_SKIPS";

    public static readonly Prerequisite Chromium = new("chromium", "chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"], "renders report.html headless");
    public static readonly Prerequisite Promtool = new("promtool", "prometheus", ["/usr/bin/promtool"], "lints a live /metrics exposition");
    public static readonly Prerequisite Prometheus = new("prometheus", "prometheus", ["/usr/bin/prometheus"], "scrapes /metrics and node_exporter through a stall");
    public static readonly Prerequisite NodeExporter = new("node_exporter", "prometheus-node-exporter", ["/usr/bin/prometheus-node-exporter"],
        "serves the sampler's Prometheus textfile through a stall");

    public static readonly Prerequisite Iproute2 = new("ip", "iproute2", ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"], "makes the network namespaces of the multi-host test");

    /// <summary>The charts' font (lab-client's ChartRenderer names the same package and file).</summary>
    public static readonly Prerequisite DejaVuFont = new("DejaVu Sans", "fonts-dejavu-core", ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
        "the charts' fixed font, so they look the same on every machine");

    /// <summary>Every prerequisite of the test suite; <c>./run-lab.sh test</c> installs the missing ones (a test keeps the two lists equal).</summary>
    public static readonly IReadOnlyList<Prerequisite> All = [Chromium, Promtool, Prometheus, NodeExporter, Iproute2, DejaVuFont];

    public static bool RefuseSkips => Environment.GetEnvironmentVariable(RefuseSkipsVariable) is "1" or "true";

    /// <summary>The first candidate path that exists, or null.</summary>
    public string? Find() => Candidates.FirstOrDefault(File.Exists);

    /// <summary>
    /// The tool's path. When it is missing: skips the calling test (it must be a [SkippableFact]) with the
    /// reason, or fails it when <see cref="RefuseSkipsVariable"/> is set.
    /// </summary>
    public string Require()
    {
        if (Find() is { } path) return path;
        var reason = $"{Name} is not installed ({Purpose}): `./run-lab.sh test` installs it (apt-get install {DebianPackage}).";
        if (RefuseSkips)
        {
            Assert.Fail($"{reason} {RefuseSkipsVariable} is set, so a missing prerequisite is a failure, not a skip.");
        }

        Skip.If(true, reason);
        return "";
    }

    /// <summary>
    /// For a test of something only Linux has (/proc, per-thread nice, …): skips it elsewhere with
    /// <paramref name="needs"/> as the reason (a [SkippableFact]), or fails it when <see cref="RefuseSkipsVariable"/> is set.
    /// </summary>
    public static void RequireLinux(string needs) =>
        RequireCondition(OperatingSystem.IsLinux() ? null : $"this test needs Linux: {needs}");

    /// <summary>
    /// For what a test needs that is no package to install (root, a kernel feature): when
    /// <paramref name="unmetReason"/> is not null, skips the calling test (a [SkippableFact]) with it, or fails the
    /// test when <see cref="RefuseSkipsVariable"/> is set.
    /// </summary>
    public static void RequireCondition(string? unmetReason)
    {
        if (unmetReason is null) return;
        if (RefuseSkips)
        {
            Assert.Fail($"{unmetReason}. {RefuseSkipsVariable} is set, so an unmet prerequisite is a failure, not a skip.");
        }

        Skip.If(true, unmetReason);
    }
}
