using System.Text;
using Lab.Client.Running;

namespace Lab.Client.Claims;

/// <summary>
/// The README's table of claims, generated from the committed reference run's <c>claims.json</c> (never typed in):
/// <c>./run-lab.sh generate</c> splices it between two markers, and a test fails when the README differs from it.
/// </summary>
public static class ReadmeClaimsWriter
{
    public const string Begin = "<!-- claims:begin — generated from results/reference/claims.json by ./run-lab.sh generate; do not edit -->";
    public const string End = "<!-- claims:end -->";
    public const string ReferenceFolder = "results/reference";

    public static string Splice(string current, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(current);
        var start = current.IndexOf(Begin, StringComparison.Ordinal);
        var end = current.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start) return current;
        return current[..(start + Begin.Length)] + "\n" + Table(repositoryRoot) + current[end..];
    }

    public static string Table(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, ReferenceFolder, "claims.json");
        if (!File.Exists(path)) return "No reference run is committed yet: `./run-lab.sh suite --all` makes one.\n";
        var file = ClaimsFile.Read(path);
        var md = new StringBuilder();
        md.Append("From the reference run (").Append(file.Title).Append("; [claims report](").Append(ReferenceFolder).Append("/claims.md)). ")
            .Append(file.Machine).Append("\n\n| claim | the lab measured | verdict |\n|---|---|---|\n");
        foreach (var c in file.Claims)
        {
            var verdict = c.Verdict + (c.Stability is { } s ? $" ({s})" : "");
            if (c.Effect is not null) verdict += ": " + c.Effect;
            if (c.Qualifications.Count > 0) verdict += ": " + string.Join("; ", c.Qualifications);
            if (c.FailedChecks.Count > 0) verdict += "; did not hold: " + string.Join("; ", c.FailedChecks.Select(f => $"`{f}`"));
            if (c.Unstable is not null) verdict += " — " + c.Unstable;
            var report = c.Reports.Count > 0 ? $" ([report]({ReferenceFolder}/{c.Reports[0]}))" : "";
            md.Append("| ").Append(c.Id).Append(" | ").Append(Cell(c.Measured)).Append(report).Append(" | ").Append(Cell(verdict)).Append(" |\n");
        }

        // The first claim's key chart, as a picture of what starvation looks like.
        if (file.Claims.FirstOrDefault(c => c.Charts.Count > 0) is { } first)
        {
            var png = Path.ChangeExtension(first.Charts[0], ".png").Replace('\\', '/');
            md.Append("\n![").Append(first.Id).Append(": ").Append(Path.GetFileNameWithoutExtension(png)).Append(" chart of the reference run](")
                .Append(ReferenceFolder).Append('/').Append(png).Append(")\n");
        }

        return md.ToString();
    }

    /// <summary>The repository this build belongs to, for the generator.</summary>
    public static string Root() => LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) ?? Environment.CurrentDirectory;

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
