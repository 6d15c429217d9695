using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary>Default locations: the repository's <c>results/</c> when run from a clone, else <c>./results</c>.</summary>
public static class ClientPaths
{
    public static string DefaultResultsRoot() =>
        LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) is { } root
            ? Path.Combine(root, "results")
            : Path.Combine(Environment.CurrentDirectory, "results");
}
