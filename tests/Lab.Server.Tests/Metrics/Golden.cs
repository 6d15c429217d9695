using Lab.Testing;

namespace Lab.Server.Tests.Metrics;

/// <summary>
/// Compares output with a stored expected file in tests/Lab.Server.Tests/Metrics/Golden. After an intended change,
/// regenerate with <c>LAB_UPDATE_GOLDEN=1 dotnet test</c> and review the diff like any other code.
/// </summary>
internal static class Golden
{
    private static readonly string s_folder = Path.Combine(
        LabServerDll.RepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no Lab.sln above the test output"),
        "tests", "Lab.Server.Tests", "Metrics", "Golden");

    public static void Match(string name, string actual)
    {
        var path = Path.Combine(s_folder, name);
        if (Environment.GetEnvironmentVariable("LAB_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file {path}; create it with LAB_UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual.ReplaceLineEndings("\n"));
    }
}
