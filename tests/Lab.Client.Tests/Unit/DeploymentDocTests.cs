using Lab.Client.Running;
using Lab.Client.Tests.Runs;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>docs/deployment.md says which way the network-namespace test runs, in the test's own words.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class DeploymentDocTests
{
    [Fact]
    public void The_deployment_doc_says_how_the_namespace_test_runs_with_and_without_netem()
    {
        var doc = System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(Path.Combine(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!, "docs", "deployment.md")), @"\s+", " ");

        Assert.Contains(NetworkNamespaceTests.NoDelayNotice, doc, StringComparison.Ordinal);
        Assert.Contains(NetworkNamespaceTests.NetemCommand, doc, StringComparison.Ordinal);
        Assert.Contains("runs **without an added delay** and says so in its output", doc, StringComparison.Ordinal);
    }
}
