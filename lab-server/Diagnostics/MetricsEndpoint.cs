using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Diagnostics;

/// <summary>
/// <c>GET /metrics</c>: the OpenTelemetry Prometheus exporter's scraping endpoint (text format 0.0.4, or OpenMetrics
/// when the scraper asks for it), on both roles, outside the limiter and not counted as load.
/// </summary>
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

        // A scrape is not load: it stays out of the limiter (RequestLimiter.IsLabPath), lab_requests_total and the
        // http.server.* instruments, as every /lab path does.
        app.MapPrometheusScrapingEndpoint(LabMetrics.Path, metrics.Provider, configureBranchedPipeline: null, optionsName: null)
            .DisableHttpMetrics()
            .WithSummary("Prometheus text of the runtime, ASP.NET Core, HttpClient and lab meters (OpenTelemetry Prometheus exporter).");
        return app;
    }
}
