using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;

namespace Lab.Client.Commands;

/// <summary>
/// The command line in one place: Program runs it, and <c>generate</c> writes its <c>--help</c> into
/// lab-client/README.md, so the README shows the commands and options this build has.
/// </summary>
public static class LabCommandLine
{
    public const string HelpBegin = "<!-- help:begin — generated from the command line by ./run-lab.sh generate; do not edit -->";
    public const string HelpEnd = "<!-- help:end -->";

    /// <summary>The commands whose --help the README shows after the overview: the ones people run.</summary>
    public static readonly IReadOnlyList<string> DocumentedCommands = ["run", "suite", "sweep"];

    public static RootCommand Create()
    {
        var root = new RootCommand("""
            lab-client — drives the thread-starvation lab: runs scenario files (a backend, then a fresh server per
            variant, an open- or closed-model load, everything recorded under results/), validates them, or just
            brings a backend and a server up. With no command it runs the quick claims suite.
            """)
        {
            SuiteCommand.Create(),
            RunCommand.Create(),
            SweepCommand.Create(),
            ValidateCommand.Create(),
            ReportCommand.Create(),
            CompareCommand.Create(),
            UpCommand.Create(),
            BenchCommand.Create(),
            ClientBenchCommand.Create(),
            TestCommand.Create(),
            GenerateCommand.Create(),
            StacksAgentCommand.Create(),
        };
        // With no command the lab runs the quick claims suite, and takes the suite's options (./run-lab.sh --progress none).
        var suite = SuiteCommand.Options.Create();
        suite.AddTo(root);
        root.SetAction(suite.InvokeAsync);
        return root;
    }

    /// <summary>What <c>--help</c> prints for the root and for each documented command, as shell transcripts.</summary>
    public static string HelpText()
    {
        var text = new StringBuilder("```text\n");
        foreach (var args in new[] { Array.Empty<string>() }.Concat(DocumentedCommands.Select(c => new[] { c })))
        {
            using var output = new StringWriter();
            Create().Parse([.. args, "--help"]).Invoke(new InvocationConfiguration { Output = output });
            text.Append("$ ./run-lab.sh ").Append(string.Join(' ', args)).Append(args.Length > 0 ? " " : "").Append("--help\n")
                .Append(Usage(output.ToString()).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd()).Append("\n\n");
        }

        return text.ToString().TrimEnd() + "\n```\n";
    }

    /// <summary>Usage lines name the script people type, not the host this ran in (Lab.Client, or testhost under a test).</summary>
    private static string Usage(string help) =>
        Regex.Replace(help, $"^  {Regex.Escape(RootCommand.ExecutableName)}(?= |$)", "  ./run-lab.sh", RegexOptions.Multiline);

    /// <summary>The README with its help block replaced; unchanged when it has no markers.</summary>
    public static string Splice(string current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var start = current.IndexOf(HelpBegin, StringComparison.Ordinal);
        var end = current.IndexOf(HelpEnd, StringComparison.Ordinal);
        if (start < 0 || end < start) return current;
        return current[..(start + HelpBegin.Length)] + "\n" + HelpText() + current[end..];
    }
}
