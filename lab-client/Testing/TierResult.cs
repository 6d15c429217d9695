namespace Lab.Client.Testing;

/// <summary>What one tier's <c>dotnet test</c> run reported, summed over the test projects.</summary>
public sealed record TierResult(string Tier, int Passed, int Failed, int Skipped, TimeSpan Elapsed, int ExitCode)
{
    public string Line => $"{Tier,-10} {Passed} passed, {Failed} failed, {Skipped} skipped in {Elapsed.TotalSeconds:0.0} s";

    /// <summary>
    /// Reads the counts from <c>dotnet test</c>'s per-assembly summary lines, e.g.
    /// <c>Passed!  - Failed:     0, Passed:   150, Skipped:     0, Total:   150, Duration: 46 s - Lab.Server.Tests.dll (net10.0)</c>.
    /// </summary>
    public static (int Passed, int Failed, int Skipped)? ParseSummary(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.TrimStart();
        if (!(trimmed.StartsWith("Passed!", StringComparison.Ordinal) || trimmed.StartsWith("Failed!", StringComparison.Ordinal) || trimmed.StartsWith("Skipped!", StringComparison.Ordinal))
            || !trimmed.Contains("Total:", StringComparison.Ordinal))
        {
            return null;
        }

        int Field(string name)
        {
            var i = trimmed.IndexOf(name + ":", StringComparison.Ordinal);
            if (i < 0) return 0;
            var digits = new string(trimmed[(i + name.Length + 1)..].TrimStart().TakeWhile(char.IsAsciiDigit).ToArray());
            return digits.Length == 0 ? 0 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        }

        return (Field("Passed"), Field("Failed"), Field("Skipped"));
    }
}
