using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>The settings table shows what the server reported it ran with, the configured expression beside a value it resolved.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class VariantSettingsTests
{
    private static string Row(RunReport report, string variant, string label) =>
        VariantSettings.Of(report.Variants.Single(v => v.Name == variant), report).Single(r => r.Label == label).Value;

    [Fact]
    public void Each_variant_shows_the_settings_the_server_reported_with_the_configured_expression_beside_them()
    {
        var report = RunReport.Build(FixtureRun.Create(slowServer: "{ maxConnectionsPerServer: 12xCPU }"), 1);
        var slow = Row(report, "slow", "server settings in effect");
        Assert.Contains("MaxConnectionsPerServer 24 (configured 12xCPU)", slow, StringComparison.Ordinal);
        Assert.Contains("MinWorkerThreads 2", slow, StringComparison.Ordinal);
        Assert.Contains("MaxWorkerThreads 32767", slow, StringComparison.Ordinal);
        Assert.Contains("ConcurrencyLimit off", slow, StringComparison.Ordinal);
        Assert.DoesNotContain("QueueLimit", slow, StringComparison.Ordinal);   // no limiter: its queue means nothing
        var fast = Row(report, "fast", "server settings in effect");
        Assert.Contains("MaxConnectionsPerServer unlimited", fast, StringComparison.Ordinal);
        Assert.DoesNotContain("configured", fast, StringComparison.Ordinal);
        Assert.Equal(".NET 10.0.14, server GC, 2 CPUs", Row(report, "slow", "server runtime"));
    }

    [Fact]
    public void A_server_that_reports_nothing_is_said_not_to_have()
    {
        var knobs = new Dictionary<string, string> { ["MaxConnectionsPerServer"] = "12xCPU" };
        Assert.Equal("not reported (a foreign target); configured MaxConnectionsPerServer=12xCPU", VariantSettings.Effective(null, knobs, foreignTarget: true));
        Assert.Equal("not reported", VariantSettings.Effective(null, new Dictionary<string, string>()));
        Assert.Equal("not reported", VariantSettings.Runtime(null));
    }
}
