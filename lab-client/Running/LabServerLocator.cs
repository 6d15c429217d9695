namespace Lab.Client.Running;

/// <summary>
/// Finds the built Lab.Server.dll, so every variant is launched from built output (never
/// <c>dotnet run</c>): <c>LAB_SERVER_DLL</c> if set, else <c>lab-server/bin/&lt;Configuration&gt;/net10.0/</c>
/// of the repository this assembly was built in, same configuration first.
/// </summary>
public static class LabServerLocator
{
    public const string EnvironmentVariable = "LAB_SERVER_DLL";

    public static string Find(string? startDirectory = null)
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(fromEnv)
                ? Path.GetFullPath(fromEnv)
                : throw new FileNotFoundException($"{EnvironmentVariable} points to \"{fromEnv}\", which does not exist.");
        }

        var start = startDirectory ?? AppContext.BaseDirectory;
        var root = RepositoryRoot(start)
            ?? throw new FileNotFoundException($"No Lab.sln above \"{start}\"; set {EnvironmentVariable} to the built Lab.Server.dll.");
        var configuration = start.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        foreach (var config in new[] { configuration, configuration == "Release" ? "Debug" : "Release" })
        {
            var dll = Path.Combine(root, "lab-server", "bin", config, "net10.0", "Lab.Server.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new FileNotFoundException($"Lab.Server.dll is not built under {Path.Combine(root, "lab-server", "bin")}; run `dotnet build Lab.sln -c {configuration}`.");
    }

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
