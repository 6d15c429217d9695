using Lab.Contracts;
using Lab.Server.Backend;
using Lab.Server.Configuration;
using Lab.Server.Diagnostics;
using Lab.Server.Server;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;

namespace Lab.Server.Hosting;

/// <summary>Builds and runs one lab-server process in the role named by its first argument.</summary>
public static class LabHost
{
    public const string ReadyLinePrefix = "lab-server ready:";
    public const int ExitBadArguments = 2;
    public const int ExitStartFailed = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Usage.Text);
            return args.Length == 0 ? ExitBadArguments : 0;
        }

        if (!Enum.TryParse<LabRole>(args[0], ignoreCase: true, out var role) || !Enum.IsDefined(role))
        {
            Console.Error.WriteLine($"lab-server: unknown role \"{args[0]}\": expected \"backend\" or \"server\". Run with --help.");
            return ExitBadArguments;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args[1..] });
        var reader = new SettingsReader(builder.Configuration, Environment.ProcessorCount);
        var settings = reader.Read(role);
        if (settings is null)
        {
            Console.Error.WriteLine("lab-server: invalid configuration:");
            foreach (var error in reader.Errors)
            {
                Console.Error.WriteLine("  " + error);
            }

            return ExitBadArguments;
        }

        if (ApplyThreadPool(settings) is { } poolError)
        {
            Console.Error.WriteLine("lab-server: invalid configuration:\n  " + poolError);
            return ExitBadArguments;
        }

        Configure(builder, settings);
        var app = builder.Build();
        var counters = app.Services.GetRequiredService<LabCounters>();
        var limiter = app.Services.GetService<RequestLimiter>();
        using var connections = new OutboundConnectionMeter(counters);
        using var sampler = new Sampler(
            counters,
            () => limiter?.QueuedRequests ?? 0,
            app.Services.GetRequiredService<SampleBuffer>(),
            settings.SampleIntervalMs,
            settings.SampleFile);
        using var watchdog = new ShutdownWatchdog(settings.ShutdownTimeoutMs, sampler.Stop);
        using var parentWatch = settings.ParentProcessId is { } parent
            ? new ParentWatch(parent, () =>
            {
                watchdog.Arm();
                app.Lifetime.StopApplication();
            })
            : null;

        using var metrics = settings.Metrics ? new LabMetrics(settings) : null;
        MapPipeline(app, settings, counters, limiter is not null, DateTimeOffset.UtcNow);
        app.MapMetrics(metrics);
        sampler.Start();
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"lab-server: could not listen: {ex.Message}");
            return ExitStartFailed;
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
                return ExitStartFailed;
            }
        }

        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.Out.WriteLine($"{ReadyLinePrefix} role={role.ToString().ToLowerInvariant()} pid={Environment.ProcessId} url={string.Join(' ', urls)}");
        Console.Out.Flush();

        await app.WaitForShutdownAsync();
        sampler.Stop();
        await app.DisposeAsync();
        return 0;
    }

    private static void Configure(WebApplicationBuilder builder, LabSettings settings)
    {
        // Lowest-priority defaults: quiet logs (per-request logging would cost a starved server CPU),
        // overridable from appsettings, environment or command line like any other key.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            },
        });

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Loopback unless told otherwise (DESIGN.md §4.6).
            builder.WebHost.UseUrls(settings.Role == LabRole.Backend ? "http://127.0.0.1:5101" : "http://127.0.0.1:5100");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = settings.MaxConcurrentConnections;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(settings.ShutdownTimeoutMs));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJson.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, ContractsJson.Default);
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<LabCounters>();
        builder.Services.AddSingleton<LabMeter>();
        builder.Services.AddSingleton(new SampleBuffer(settings.SampleBufferCapacity));
        if (settings.Role == LabRole.Server)
        {
            builder.Services.AddSingleton<BackendClient>();
            builder.Services.AddSingleton<CpuWork>();
            builder.Services.AddSingleton<ThreadHolder>();
            builder.Services.AddSingleton<ServerContext>();
            if (settings.ConcurrencyLimit is { } permits)
            {
                AddLimiter(builder.Services, permits, settings.QueueLimit);
            }
        }
    }

    private static void AddLimiter(IServiceCollection services, int permits, int queue)
    {
        var limiter = new RequestLimiter(permits, queue);
        services.AddSingleton(limiter);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = limiter;
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<LabCounters>().RequestRejected();
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await context.HttpContext.Response.WriteAsync(
                    $"503 Server Too Busy: {permits} requests running and {queue} queued (Lab:ConcurrencyLimit, Lab:QueueLimit).", ct);
            };
        });
    }

    private static void MapPipeline(WebApplication app, LabSettings settings, LabCounters counters, bool limited, DateTimeOffset startedUtc)
    {
        // Requests in flight, counted before the limiter so queued requests are included; and every
        // finished request by style, route and outcome (lab.requests), 503s from the limiter included.
        var meter = app.Services.GetRequiredService<LabMeter>();
        app.Use(async (context, next) =>
        {
            if (RequestLimiter.IsLabPath(context))
            {
                await next(context);
                return;
            }

            counters.RequestStarted();
            try
            {
                await next(context);
            }
            finally
            {
                counters.RequestEnded();
                meter.RequestEnded(context);
            }
        });

        if (limited)
        {
            app.UseRateLimiter();
        }

        app.MapLab(startedUtc);
        if (settings.Role == LabRole.Backend)
        {
            app.MapBackend();
        }
        else
        {
            app.MapServer();
        }

        // Resolve eagerly: CpuWork calibrates now, not inside the first measured request.
        app.Services.GetService<CpuWork>();
        app.Services.GetService<BackendClient>();
    }

    /// <summary>Null when applied; otherwise what the runtime refused.</summary>
    private static string? ApplyThreadPool(LabSettings settings)
    {
        ThreadPool.GetMinThreads(out _, out var minIo);
        ThreadPool.GetMaxThreads(out _, out var maxIo);
        if (settings.MaxWorkerThreads is { } max && !ThreadPool.SetMaxThreads(max, maxIo))
        {
            return $"{SettingsReader.Section}:MaxWorkerThreads = {max}: ThreadPool.SetMaxThreads refused it (must be >= the minimum).";
        }

        if (settings.MinWorkerThreads is { } min && !ThreadPool.SetMinThreads(min, minIo))
        {
            return $"{SettingsReader.Section}:MinWorkerThreads = {min}: ThreadPool.SetMinThreads refused it "
                + "(above the maximum, or DOTNET_ThreadPool_ForceMinWorkerThreads is set).";
        }

        return null;
    }
}
