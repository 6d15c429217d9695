using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary>Default locations: the repository's <c>results/</c> when run from a clone, else <c>./results</c>.</summary>
public static class ClientPaths
{
    /// <summary>Every scenario file in the repository's scenarios/ folder, in name order.</summary>
    public static string[] RepositoryScenarios()
    {
        var root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) ?? Environment.CurrentDirectory;
        var folder = Path.Combine(root, "scenarios");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal)] : [];
    }

    public static string DefaultResultsRoot() =>
        LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) is { } root
            ? Path.Combine(root, "results")
            : Path.Combine(Environment.CurrentDirectory, "results");
}
