using Lab.Server.Configuration;
using Lab.Server.Http;
using Lab.Server.Server;
using Lab.Server.Telemetry;

namespace Lab.Server.Diagnostics;

/// <summary>
/// The lab's own endpoints, on both roles, outside the limiter. They run on the thread pool like any
/// request, so a starved server answers them late: the sample file is the source of truth, and
/// <c>/lab/samples</c> lets a remote client catch up on every sample once the server answers again.
/// </summary>
public static class LabEndpoints
{
    public const int MaxSamplesPerPage = 10_000;

    public static IEndpointRouteBuilder MapLab(this IEndpointRouteBuilder app)
    {
        var startedUtc = DateTimeOffset.UtcNow;
        var lab = app.MapGroup("/lab");
        lab.MapGet("/info", (HttpContext ctx, LabSettings settings, EndpointDataSource endpoints, IServiceProvider services) =>
                TypedResults.Ok(Info(ctx, settings, endpoints, services, startedUtc)))
            .WithSummary("Role, process id, every setting in effect, runtime, processors, thread-pool limits.");
        lab.MapGet("/samples", Samples)
            .WithSummary("Telemetry samples with seq > after, oldest first (bounded buffer).");
        lab.MapGet("/counters", (LabCounters counters) => TypedResults.Ok(LabCountersSnapshot.Of(counters)))
            .WithSummary("Cumulative request, backend-call and connection counters right now.");
        return app;
    }

    private static IResult Samples(HttpContext ctx, SampleBuffer buffer)
    {
        var q = new QueryReader(ctx.Request.Query, "after", "max");
        var after = q.Number("after", 0, int.MaxValue, 0);
        var max = q.Number("max", 1, MaxSamplesPerPage, 1_000);
        return q.IsValid ? TypedResults.Ok(buffer.After(after, max)) : q.Problem();
    }

    private static LabInfo Info(HttpContext ctx, LabSettings settings, EndpointDataSource endpoints, IServiceProvider services, DateTimeOffset startedUtc)
    {
        var server = ctx.RequestServices.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var urls = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var list = endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => new EndpointInfo(
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is [var method, ..] ? method : "GET",
                "/" + e.RoutePattern.RawText?.TrimStart('/'),
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IEndpointSummaryMetadata>()?.Summary ?? ""))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToArray();
        return new LabInfo(
            settings.Role,
            Environment.ProcessId,
            startedUtc,
            urls,
            settings,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Environment.Version.ToString(),
            System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            System.Runtime.GCSettings.IsServerGC,
            ThreadPoolLimits.Current(),
            services.GetService<CpuWork>()?.UnitsPerMs,
            list);
    }
}
