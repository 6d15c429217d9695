using Lab.Contracts;
using Lab.Server.Configuration;
using Lab.Server.Server;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Metrics;
using Microsoft.Extensions.Configuration.Memory;

namespace Lab.Server.Hosting;

/// <summary>What the builder gets: host defaults (loopback, quiet logs, Kestrel limits, problem details) and the lab's services.</summary>
public static class LabServices
{
    public const string DefaultServerUrl = "http://127.0.0.1:5100";
    public const string DefaultBackendUrl = "http://127.0.0.1:5101";

    public static WebApplicationBuilder AddLabHosting(this WebApplicationBuilder builder, LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

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
            // Loopback unless told otherwise (ListenAddresses refuses anything else that was not on the command
            // line). Setting urls also overrides an inherited ASPNETCORE_HTTP_PORTS, which would bind every interface.
            builder.WebHost.UseUrls(settings.Role == LabRole.Backend ? DefaultBackendUrl : DefaultServerUrl);
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

        // 404 and 405 answer with problem details like every other error (StatusCodeProblems).
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplicationBuilder AddLabServices(this WebApplicationBuilder builder, LabSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<LabCounters>();
        services.AddSingleton<LabMeter>();
        services.AddSingleton(new SampleBuffer(settings.SampleBufferCapacity));
        if (settings.Metrics)
        {
            services.AddSingleton<LabMetrics>();
        }

        if (settings.Role == LabRole.Server)
        {
            services.AddSingleton<BackendClient>();
            services.AddSingleton<CpuWork>();
            services.AddSingleton<ThreadHolder>();
            services.AddSingleton<ServerContext>();
            if (settings.ConcurrencyLimit is { } permits)
            {
                AddLimiter(services, permits, settings.QueueLimit);
            }
        }

        return builder;
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
}
