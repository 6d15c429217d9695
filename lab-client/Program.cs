using System.CommandLine;
using Lab.Client.Commands;
using Lab.Client.Load;

// Before any socket is used: the client's answers are handled on the socket event threads, not its thread pool.
InlineSocketContinuations.Enable();

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
};
// With no command the lab runs the quick claims suite, and takes the suite's options (./run-lab.sh --progress none).
var suite = SuiteCommand.Options.Create();
suite.AddTo(root);
root.SetAction(suite.InvokeAsync);

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
{
    foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.BadArguments;
}

// Ctrl+C/SIGTERM cancel the token; allow time to stop servers by PID and write run.json before exiting.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
