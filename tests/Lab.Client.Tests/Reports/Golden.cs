using Lab.Client.Running;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// Compares output with a stored expected file in tests/Lab.Client.Tests/Golden. After an intended change,
/// regenerate with <c>LAB_UPDATE_GOLDEN=1 dotnet test</c> and review the diff like any other code.
/// </summary>
public static class Golden
{
    private static readonly string s_folder = Path.Combine(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!, "tests", "Lab.Client.Tests", "Golden");

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
        if (expected != actual.ReplaceLineEndings("\n"))
        {
            File.WriteAllText(path + ".actual", actual);
            var line = expected.Split('\n').Zip(actual.Split('\n')).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
            Assert.Fail($"{name} differs from its golden file at line {line.i + 1}:\n expected: {line.p.First}\n actual:   {line.p.Second}\n(written to {path}.actual)");
        }
    }
}
