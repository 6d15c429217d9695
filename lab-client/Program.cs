using System.CommandLine;
using Lab.Client.Commands;

var root = new RootCommand("""
    lab-client — drives the thread-starvation lab: runs scenario files (a backend, then a fresh server per
    variant, an open- or closed-model load, everything recorded under results/), validates them, or just
    brings a backend and a server up. With no command it runs the lab's default job (today: `up`).
    """)
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    UpCommand.Create(),
};
root.SetAction((_, ct) => UpCommand.RunAsync(durationS: 600, knobs: [], ct));

// Ctrl+C/SIGTERM cancel the token; allow time to stop servers by PID and write run.json before exiting.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
