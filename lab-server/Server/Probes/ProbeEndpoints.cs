using Lab.Server.Http;
using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Server.Probes;

/// <summary>
/// Probes of what <c>HttpWebRequest</c>'s Begin methods do on .NET 10, one claim each (C15–C17). Each reports its
/// measurements in a <c>Server-Timing</c> header (names in <see cref="ProbeMetrics"/>) and a JSON body; 200 when the
/// sequence ran, 500 problem details naming the exception when the API under test threw, 504 past its bound.
/// </summary>
public static class ProbeEndpoints
{
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        var probe = app.MapGroup("/probe");
        probe.MapGet("/apm-setup", ApmSetup)
            .WithMetadata(CallStyle.Apm)
            .WithSummary("C15: one Begin (or sync, the control) call through a proxy lookup that sleeps setupMs; times the call and finds the thread the lookup blocked.");
        probe.MapGet("/apm-starved", ApmStarved)
            .WithMetadata(CallStyle.Apm)
            .WithSummary("C16: blocks every pool worker (up to MaxWorkerThreads) for holdMs, makes a Begin call from a dedicated thread meanwhile, reports whether it threw and when its callback ran.");
        probe.MapGet("/apm-mix", ApmMix)
            .WithMetadata(CallStyle.Apm)
            .WithSummary("C17: mixes sync and Begin/End methods on one HttpWebRequest POSTing to /echo; blocks the request thread in its sync steps; reports whether it threw and the echo matched.");
        return app;
    }

    private static async Task<IResult> ApmSetup(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, "setupMs", "method");
        var setupMs = q.Number("setupMs", 0, ApmSetupProbe.MaxSetupMs, ApmSetupProbe.DefaultSetupMs);
        var method = RequiredChoice(ctx, q, "method", ApmSetupProbe.Methods);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        // C15: the call under test is made before the first await, on this request's own thread.
        var report = await ApmSetupProbe.RunAsync(lab.Backend.BaseAddress, method, setupMs, ctx.RequestAborted);
        return report.ToResult(ctx.Response);
    }

    private static async Task<IResult> ApmStarved(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, "holdMs", "method");
        var holdMs = q.Number("holdMs", ApmStarvedProbe.MinHoldMs, ApmStarvedProbe.MaxHoldMs, ApmStarvedProbe.DefaultHoldMs);
        var method = RequiredChoice(ctx, q, "method", ApmStarvedProbe.Methods);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var running = ApmStarvedProbe.TryStart(lab.Backend.BaseAddress, method, holdMs);
        if (running is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Probe already running",
                detail: "Another /probe/apm-starved is occupying this process's thread pool; one runs at a time, since two would starve each other.");
        }

        // Waits without a thread; the continuation needs a pool thread, so the answer comes after the release.
        var report = await running;
        return report.ToResult(ctx.Response);
    }

    private static async Task<IResult> ApmMix(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, "sequence");
        var sequence = RequiredChoice(ctx, q, "sequence", ApmMixProbe.Sequences);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var report = await ApmMixProbe.RunAsync(lab.Backend.BaseAddress, sequence, ctx.RequestAborted);
        return report.ToResult(ctx.Response);
    }

    /// <summary>A probe measures one named thing: no default, so a forgotten parameter is a 400, not a silent choice.</summary>
    private static string RequiredChoice(HttpContext ctx, QueryReader q, string name, string[] choices)
    {
        if (!ctx.Request.Query.ContainsKey(name))
        {
            q.Reject(name, $"required; one of {string.Join(", ", choices)}");
            return "";
        }

        return q.Choice(name, "", choices);
    }
}
