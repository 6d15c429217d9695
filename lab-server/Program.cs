using Lab.Server.Diagnostics;
using Lab.Server.Hosting;

// lab-server: one executable, two roles (backend, server), each its own OS process. Read top to bottom.

// 1. The command line: --help, or the role first (it may also come from the setting Lab:Role).
var launch = LaunchArguments.Parse(args);
if (launch.EarlyExit(Console.Out, Console.Error) is { } early)
{
    return early;
}

// 2. Settings: every problem printed, each naming its key; loopback unless the command line says otherwise;
//    the thread-pool limits applied before anything runs on the pool.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = launch.HostArgs });
var settings = LabStartup.ReadSettings(builder, launch.Role, Console.Error);
if (settings is null
    || !ListenAddresses.Check(builder.Configuration).Report(Console.Error)
    || !LabStartup.ApplyThreadPool(settings, Console.Error))
{
    return ExitCodes.BadArguments;
}

// 3. Services: host defaults (loopback URL, quiet logs, Kestrel limits, problem details), then the lab's own.
builder.AddLabHosting(settings);
builder.AddLabServices(settings);

// 4. Pipeline and endpoints: status pages, request counting, the limiter; /lab/*, the role's endpoints, /metrics.
var app = builder.Build();
app.UseLabPipeline();
app.MapLab();
app.MapRole(settings.Role);
app.MapMetrics();

// 5. The process: sampler thread, shutdown watchdog, parent watch, ready line; the exit code.
return await LabProcess.RunAsync(app, settings);

/// <summary>The entry point, public so in-memory tests can host it (WebApplicationFactory&lt;Program&gt;).</summary>
public partial class Program;
