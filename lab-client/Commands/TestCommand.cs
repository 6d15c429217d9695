using System.CommandLine;
using Lab.Client.Testing;

namespace Lab.Client.Commands;

/// <summary>
/// <c>test</c>: the README's second command. Gets what the tests need (Debian's Chromium and promtool,
/// via apt-get when run as root), builds with warnings as errors and runs every test tier, printing each
/// tier's counts and duration and a final "N passed, N failed, N skipped" line.
/// </summary>
public static class TestCommand
{
    public static Command Create()
    {
        var tier = new Option<string[]>("--tier")
        {
            Description = "Tiers to run, in order (default all): Unit (pure code), InMemory (in-memory hosts), Processes (real processes on loopback).",
            AllowMultipleArgumentsPerToken = true,
        };
        tier.AcceptOnlyFromAmong(TestRunner.Tiers);
        var noInstall = new Option<bool>("--no-install") { Description = "Do not install missing Debian packages; their tests are skipped (or fail with LAB_TESTS_REFUSE_SKIPS=1)." };
        var extra = new Argument<string[]>("dotnet-test-arguments") { Description = "Anything after -- goes to dotnet test (e.g. -- --logger trx).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("test", "Install what the tests need (apt-get, as root), build with warnings as errors, run the unit, in-memory and real-process tiers.")
        {
            tier, noInstall, extra,
        };
        command.SetAction((parse, ct) =>
        {
            var tiers = parse.GetValue(tier) is { Length: > 0 } t ? t : TestRunner.Tiers;
            return new TestRunner(Console.Out, Console.Error).RunAsync(tiers, !parse.GetValue(noInstall), parse.GetValue(extra) ?? [], ct);
        });
        return command;
    }
}
