using Lab.Client.Analysis;
using Lab.Client.Recording;
using Lab.Client.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.Reports;

/// <summary>The report names where each variant's server figures came from: lab-server's sampler, the diagnostics port, or nowhere.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class TelemetrySourceTests
{
    /// <summary>The fixture run with <c>fast</c> recorded as a server the lab did not write, read through its diagnostics port.</summary>
    private static RunReport WithFastFromTheDiagnosticsPort()
    {
        var folder = FixtureRun.Create();
        var manifest = RunManifest.Read(folder);
        var fast = manifest.Variants.Single(v => v.Name == "fast");
        fast.Server.Info = null;
        fast.Server.CountersFile = fast.Server.SamplesFile;
        manifest.Save(folder);
        return RunReport.Build(folder);
    }

    [Fact]
    public void Each_variant_is_credited_to_the_source_its_samples_came_from()
    {
        var report = WithFastFromTheDiagnosticsPort();
        var notes = HtmlReportWriter.Notes(report);

        Assert.Equal(TelemetrySource.Sampler, report.Variants.Single(v => v.Name == "slow").TelemetrySource);
        Assert.Equal(TelemetrySource.DiagnosticsPort, report.Variants.Single(v => v.Name == "fast").TelemetrySource);
        Assert.Contains("Server figures of slow come from the server's own sampler thread", notes, StringComparison.Ordinal);
        Assert.Contains("Server figures of fast come from the runtime's counters, read through the process's diagnostics port (EventPipe)", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("fast come from the server's own sampler", notes, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lab_server_with_a_diagnostics_port_cross_check_is_still_credited_to_its_own_sampler()
    {
        var folder = FixtureRun.Create();
        var manifest = RunManifest.Read(folder);
        foreach (var v in manifest.Variants) v.Server.CountersFile = v.Server.SamplesFile!.Replace("samples-", "counters-", StringComparison.Ordinal);
        manifest.Save(folder);

        var notes = HtmlReportWriter.Notes(RunReport.Build(folder));

        Assert.Contains("Server figures of slow, fast come from the server's own sampler thread", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("diagnostics port", notes, StringComparison.Ordinal);
    }
}
