using System.Reflection;

namespace Lab.Testing;

/// <summary>
/// Finds the built Lab.Server.dll that tests launch: <c>LAB_SERVER_DLL</c> if set, else lab-server's own
/// build output (<c>lab-server/bin/&lt;Configuration&gt;/net10.0/</c>) in the repository these tests were
/// built in, for the configuration the tests were built in. Never another configuration: a stale Release
/// build must not stand in for the Debug build CI just made.
/// </summary>
public static class LabServerDll
{
    public const string EnvironmentVariable = "LAB_SERVER_DLL";

    /// <summary>Debug or Release: whichever this assembly (and so the test run) was built as.</summary>
    public static string Configuration { get; } =
        typeof(LabServerDll).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : throw new FileNotFoundException($"{EnvironmentVariable} points to \"{fromEnv}\", which does not exist.");
        }

        var root = RepositoryRoot(AppContext.BaseDirectory)
            ?? throw new FileNotFoundException($"No Lab.sln above \"{AppContext.BaseDirectory}\"; set {EnvironmentVariable} to the built Lab.Server.dll.");
        var dll = Path.Combine(root, "lab-server", "bin", Configuration, "net10.0", "Lab.Server.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is not built; run `dotnet build Lab.sln -c {Configuration}`.");
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Lab.sln, or null.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
