using System.CommandLine;
using Lab.Client.Recording.Diagnostics;

namespace Lab.Client.Commands;

/// <summary>
/// <c>stacks-agent</c> (internal, hidden from --help): the child process the client's stack snapshotter starts to run
/// ClrMD outside the client, so a fault in the runtime's DAC kills this process instead of the run (see
/// <see cref="StackAgent"/>). Not meant to be typed.
/// </summary>
public static class StacksAgentCommand
{
    public const string Name = "stacks-agent";

    public static Command Create()
    {
        var pid = new Option<int>("--pid") { Description = "The process whose managed stacks are read.", Required = true };
        var parent = new Option<int>("--parent") { Description = "The client's process id: the agent exits when it is no longer its parent." };
        var command = new Command(Name, "Internal: reads a stopped process's managed stacks with ClrMD for the client, one JSON line per request on stdout.")
        {
            pid, parent,
        };
        command.Hidden = true;
        // Ctrl+C reaches the whole process group: the agent ignores it and stops when the client closes its stdin.
        command.SetAction((parse, _) => Task.FromResult(StackAgent.Run(parse.GetValue(pid), parse.GetValue(parent), Console.In, Console.Out)));
        return command;
    }
}
