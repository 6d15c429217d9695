using System.CommandLine;
using Lab.Client.Claims;
using Lab.Client.ClientBench;
using Lab.Client.Running;
using Lab.Client.Scenarios.Schema;

namespace Lab.Client.Commands;

/// <summary>
/// <c>generate</c>: rewrites the files generated from the tables in code — the scenario JSON Schema, the key
/// reference of scenarios/README.md and the claims catalogue docs/claims.md. Tests fail when a committed file
/// differs from what this writes, so the tables, the schema and the docs cannot drift apart.
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 and name each file that differs from what would be generated." };
        var command = new Command("generate", "Rewrite scenario.schema.json, the key reference in scenarios/README.md, docs/claims.md, the README's claims table and lab-client/README.md's --help from the tables in code and the reference run.") { check };
        command.SetAction(parse => Run(parse.GetValue(check), Console.Out));
        return command;
    }

    /// <summary>Every generated file: its path under the repository, and its text given the current text (null when absent).</summary>
    public static IReadOnlyList<(string Path, Func<string?, string> Generate)> Files =>
    [
        (Path.Combine("scenarios", JsonSchemaWriter.FileName), _ => JsonSchemaWriter.Write()),
        (Path.Combine("scenarios", "README.md"), current => KeyReferenceWriter.Splice(current ?? "# scenarios/\n")),
        (ClaimsCatalogWriter.RelativePath, _ => ClaimsCatalogWriter.Write()),
        ("README.md", current => ReadmeClaimsWriter.Splice(current ?? "", ReadmeClaimsWriter.Root())),
        (Path.Combine("lab-client", "README.md"), current => ClientBenchReadmeWriter.Splice(LabCommandLine.Splice(current ?? ""), ReadmeClaimsWriter.Root())),
    ];

    public static int Run(bool check, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) ?? LabServerLocator.RepositoryRoot(Environment.CurrentDirectory);
        if (root is null)
        {
            Console.Error.WriteLine("generate: run it from a clone of the repository (no Lab.sln found).");
            return ExitCodes.BadArguments;
        }

        var stale = 0;
        foreach (var (relative, generate) in Files)
        {
            var path = Path.Combine(root, relative);
            var current = File.Exists(path) ? File.ReadAllText(path) : null;
            var text = generate(current);
            if (text == current)
            {
                output.WriteLine($"up to date  {relative}");
                continue;
            }

            stale++;
            if (check)
            {
                output.WriteLine($"STALE       {relative} (run ./run-lab.sh generate)");
            }
            else
            {
                File.WriteAllText(path, text);
                output.WriteLine($"written     {relative}");
            }
        }

        return check && stale > 0 ? ExitCodes.RunFailed : ExitCodes.Ok;
    }
}
