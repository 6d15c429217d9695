using Lab.Server.Backend;
using Lab.Server.Configuration;
using Lab.Server.Server;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Hosting;

/// <summary>The middleware in front of every endpoint, and the endpoints of each role.</summary>
public static class LabPipeline
{
    public static WebApplication UseLabPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Outermost: an error answered without a body (404, 405) gets a problem-details body.
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);

        // Requests in flight, counted before the limiter so queued requests are included; and every finished
        // request by style, route and outcome (lab.requests), 503s from the limiter included.
        var counters = app.Services.GetRequiredService<LabCounters>();
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

        if (app.Services.GetService<RequestLimiter>() is not null)
        {
            app.UseRateLimiter();
        }

        return app;
    }

    /// <summary>The backend's lists, or the server's call styles.</summary>
    public static WebApplication MapRole(this WebApplication app, LabRole role)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (role == LabRole.Backend)
        {
            app.MapBackend();
        }
        else
        {
            app.MapServer();
        }

        return app;
    }
}
