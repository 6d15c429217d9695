using System.CommandLine;
using Lab.Client.Commands;

var root = new RootCommand("""
    lab-client — drives the thread-starvation lab: starts lab-server processes on loopback, one per role.
    With no command it runs the lab's default job (today: `up`, a backend and a server for 10 minutes).
    """)
{
    UpCommand.Create(),
};
root.SetAction((_, ct) => UpCommand.RunAsync(durationS: 600, knobs: [], ct));
return await root.Parse(args).InvokeAsync();
