using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Diagnostics;

/// <summary><c>GET /metrics</c>: the Prometheus text exposition (0.0.4), on both roles, outside the limiter.</summary>
public static class MetricsEndpoint
{
    /// <summary>Maps the path; when <c>Lab:Metrics</c> is off (no <see cref="LabMetrics"/> registered) it answers 404 and says why.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Resolved now, not at the first scrape: the MeterProvider must be listening from the start.
        var metrics = app.ServiceProvider.GetService<LabMetrics>();
        if (metrics is null)
        {
            app.MapGet(LabMetrics.Path, () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Metrics are off",
                    detail: "This process was started with Lab:Metrics=off: no MeterProvider, nothing to scrape."))
                .WithSummary("404: metrics are off (Lab:Metrics=off).");
            return app;
        }

        app.MapGet(LabMetrics.Path, () => metrics.Scrape() is { } text
                ? Results.Text(text, PrometheusTextWriter.ContentType)
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Metrics collection did not finish in time",
                    detail: $"The collection took longer than {LabMetrics.ScrapeTimeoutMs} ms; try again."))
            .WithSummary("Prometheus text format 0.0.4 of the runtime, ASP.NET Core, HttpClient and lab meters (OpenTelemetry SDK, pull reader).");
        return app;
    }
}
