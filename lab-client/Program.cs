using System.CommandLine;
using Lab.Client.Commands;
using Lab.Client.Load;

// Before any socket is used: the client's answers are handled on the socket event threads, not its thread pool.
InlineSocketContinuations.Enable();

var root = LabCommandLine.Create();

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
{
    foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.BadArguments;
}

// Ctrl+C/SIGTERM cancel the token; allow time to stop servers by PID and write run.json before exiting.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
