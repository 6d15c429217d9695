using System.CommandLine;
using Lab.Client.Commands;

var root = new RootCommand("lab-client — drives the thread-starvation lab: starts lab-server processes on loopback and (soon) runs scenarios against them.")
{
    UpCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
