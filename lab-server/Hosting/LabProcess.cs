using Lab.Server.Configuration;
using Lab.Server.Server;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Textfile;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Lab.Server.Hosting;

/// <summary>
/// The process around the app: the sampler thread, the shutdown watchdog, the parent watch, the ready line, and
/// the exit code. Everything here that must work on a starved server runs on its own thread.
/// </summary>
public static class LabProcess
{
    public const string ReadyLinePrefix = "lab-server ready:";

    /// <summary>
    /// Printed once the sample and pool-event files are complete and closed, on a stop signal (or at the end). Everything
    /// a run reads from this process is on disk from then on: lab-client waits for this line, not for the graceful
    /// shutdown, which a starved pool may never get to run.
    /// </summary>
    public const string TelemetryClosedLinePrefix = "lab-server telemetry closed:";

    /// <summary>
    /// Once the parent is gone nobody waits for an answer: the graceful shutdown gets this long, then the
    /// watchdog kills the process. With the 100 ms poll, a starved server exits within about 0.6 s.
    /// </summary>
    public const int ParentGoneGraceMs = 500;

    public static async Task<int> RunAsync(WebApplication app, LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var counters = app.Services.GetRequiredService<LabCounters>();
        var limiter = app.Services.GetService<RequestLimiter>();
        using var connections = new OutboundConnectionMeter(counters);
        using var sampler = new Sampler(
            counters,
            () => limiter?.QueuedRequests ?? 0,
            app.Services.GetRequiredService<SampleBuffer>(),
            settings.SampleIntervalMs,
            settings.SampleFile,
            settings.PrometheusTextfile is { } textfile ? new PrometheusTextfile(textfile, settings.Role, Environment.ProcessId) : null);
        using var events = settings.EventFile is { } eventFile ? new PoolEventRecorder(eventFile, settings.PoolEventWaits) : null;
        var telemetryGate = new Lock();
        var telemetryClosed = false;
        void CloseTelemetry()
        {
            // Whoever comes second (the signal thread, the watchdog, the normal end) waits until the files are closed.
            lock (telemetryGate)
            {
                if (telemetryClosed) return;
                sampler.Stop();
                events?.Stop();
                telemetryClosed = true;
                Console.Out.WriteLine($"{TelemetryClosedLinePrefix} pid={Environment.ProcessId}");
                Console.Out.Flush();
            }
        }

        using var watchdog = new ShutdownWatchdog(settings.ShutdownTimeoutMs, CloseTelemetry);
        // The client that started this process may read its stacks through a child of its own (docs/measurement.md).
        if (settings.ParentProcessId is { } ptracer) _ = PtracerPermit.Grant(ptracer);
        using var parentWatch = settings.ParentProcessId is { } parent
            ? new ParentWatch(parent, () =>
            {
                // Armed before the stop is requested: StopApplication runs its callbacks on this thread, and
                // whatever they wait for, the deadline stands.
                watchdog.Arm(TimeSpan.FromMilliseconds(ParentGoneGraceMs),
                    $"parent process {parent} is gone and the shutdown did not finish within {ParentGoneGraceMs} ms");
                app.Lifetime.StopApplication();
            })
            : null;

        // Resolve eagerly: CpuWork calibrates now, not inside the first measured request.
        app.Services.GetService<CpuWork>();
        app.Services.GetService<BackendClient>();
        sampler.Start();
        events?.Start(sampler.OriginTimestamp);
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"lab-server: could not listen: {ex.Message}");
            return ExitCodes.StartFailed;
        }

        if (settings.PrewarmConnections > 0 && app.Services.GetService<BackendClient>() is { } backend)
        {
            try
            {
                await backend.PrewarmAsync(settings.PrewarmConnections, app.Lifetime.ApplicationStopping);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                Console.Error.WriteLine($"lab-server: could not prewarm {settings.PrewarmConnections} connections to {settings.BackendUrl}: {ex.Message}");
                await app.StopAsync();
                return ExitCodes.StartFailed;
            }
        }

        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.Out.WriteLine($"{ReadyLinePrefix} role={settings.Role.ToString().ToLowerInvariant()} pid={Environment.ProcessId} url={string.Join(' ', urls)}");
        Console.Out.Flush();

        await app.WaitForShutdownAsync();
        CloseTelemetry();
        await app.DisposeAsync();
        return ExitCodes.Stopped;
    }
}
