using System.Diagnostics;
using Lab.Server.Http;
using Lab.Server.Server.Probes;
using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Server;

/// <summary>
/// The same backend work in different styles, side by side, one pitfall per handler. Each endpoint's summary
/// says what it does to threads; that is the whole experiment.
/// </summary>
public static class ServerEndpoints
{
    public static IEndpointRouteBuilder MapServer(this IEndpointRouteBuilder app)
    {
        app.MapCallStyles();
        app.MapFanOut();
        app.MapCpuWork();
        app.MapProbes();
        app.MapGet("/threads/hold", HoldThreads)
            .WithMetadata(CallStyle.NoWait)
            .WithSummary("Starts N dedicated OS threads that block for holdMs (C4: memory per blocked thread); not pool threads.");
        return app;
    }

    private static void MapCallStyles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sync", Sync)
            .WithMetadata(CallStyle.Sync)
            .WithSummary("Blocks a pool thread for the whole backend call: HttpClient.Send and a synchronous read (C1).");
        app.MapGet("/sync-over-async", SyncOverAsync)
            .WithMetadata(CallStyle.SyncOverAsync)
            .WithSummary("Blocks a pool thread on GetAwaiter().GetResult() while a second one is needed to finish the call (C10).");
        app.MapGet("/async", Async)
            .WithMetadata(CallStyle.Async)
            .WithSummary("Awaits the backend call: no thread is held while the backend delays (C1, C5).");
        app.MapGet("/apm", Apm)
            .WithMetadata(CallStyle.Apm)
            .WithSummary("BeginGetResponse and a BeginRead loop, bridged to the request: no thread waits (C12).");
        app.MapGet("/leaky", Leaky)
            .WithMetadata(CallStyle.Async)
            .WithSummary("Awaits the call but never disposes the response, so its connection is never returned (C11).");
        app.MapGet("/fast", Fast)
            .WithMetadata(CallStyle.NoWait)
            .WithSummary("No backend call: answers at once, for mixed workloads (C13).");
    }

    private static void MapFanOut(this IEndpointRouteBuilder app)
    {
        var pwg = app.MapGroup("/pwg");
        pwg.MapGet("/serial-sync", SerialSync)
            .WithMetadata(CallStyle.Sync)
            .WithSummary("N backend calls one after another, each blocking the thread: ~N × delay (C6, C7).");
        pwg.MapGet("/parallel-async", ParallelAsync)
            .WithMetadata(CallStyle.Async)
            .WithSummary("N backend calls at once with Task.WhenAll, no thread held: ~1 × delay (C6, C7).");
    }

    private static void MapCpuWork(this IEndpointRouteBuilder app)
    {
        var cpu = app.MapGroup("/cpu");
        cpu.MapGet("/sync", CpuSync)
            .WithMetadata(CallStyle.Sync)
            .WithSummary("CPU-bound work on the request's thread (C9).");
        cpu.MapGet("/async", CpuAsync)
            .WithMetadata(CallStyle.TaskRun)
            .WithSummary("The same CPU work wrapped in Task.Run and awaited: one more hop, no thread saved (C9).");
    }

    private static IResult Sync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.SingleParameters);
        var plan = CallPlan.OneCall(q);
        return !q.IsValid ? q.Problem() : lab.Run(ctx, "sync", plan, (ct, p) => [lab.Backend.CallSync(plan.Calls[0], p, ct)]);
    }

    /// <summary>Deliberately blocks on a task: the pitfall the sources warn about (C10).</summary>
    private static IResult SyncOverAsync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.SingleParameters);
        var plan = CallPlan.OneCall(q);
        return !q.IsValid ? q.Problem() : lab.Run(ctx, "sync-over-async", plan,
            (ct, p) => [lab.Backend.CallAsync(plan.Calls[0], p, ct).GetAwaiter().GetResult()]);
    }

    private static async Task<IResult> Async(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.SingleParameters);
        var plan = CallPlan.OneCall(q);
        return !q.IsValid ? q.Problem() : await lab.RunAsync(ctx, "async", plan,
            async (ct, p) => [await lab.Backend.CallAsync(plan.Calls[0], p, ct)]);
    }

    private static async Task<IResult> Apm(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.SingleParameters);
        var plan = CallPlan.OneCall(q);
        return !q.IsValid ? q.Problem() : await lab.RunAsync(ctx, "apm", plan,
            async (ct, p) => [await ApmBackendCall.StartAsync(lab.Backend.BaseAddress, plan.Calls[0], lab.Counters, p, ct)]);
    }

    private static async Task<IResult> Leaky(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.SingleParameters);
        var plan = CallPlan.OneCall(q);
        return !q.IsValid ? q.Problem() : await lab.RunAsync(ctx, "leaky", plan,
            async (ct, p) => [await lab.Backend.CallLeakyAsync(plan.Calls[0], p, ct)]);
    }

    private static IResult Fast(HttpContext ctx)
    {
        var q = new QueryReader(ctx.Request.Query);
        return !q.IsValid ? q.Problem() : TypedResults.Ok(new EndpointResult("fast", 0, []));
    }

    private static IResult SerialSync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.FanOutParameters);
        var plan = CallPlan.FanOut(q);
        return !q.IsValid ? q.Problem() : lab.Run(ctx, "pwg/serial-sync", plan, (ct, p) =>
        {
            var results = new List<BackendCallResult>(plan.Calls.Count);
            foreach (var call in plan.Calls)
            {
                // C7: CallSync refuses to start once the budget is spent.
                results.Add(lab.Backend.CallSync(call, p, ct));
            }

            return results;
        });
    }

    private static async Task<IResult> ParallelAsync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CallPlan.FanOutParameters);
        var plan = CallPlan.FanOut(q);
        return !q.IsValid ? q.Problem() : await lab.RunAsync(ctx, "pwg/parallel-async", plan,
            async (ct, p) => await Task.WhenAll(plan.Calls.Select(call => lab.Backend.CallAsync(call, p, ct))));
    }

    private static IResult HoldThreads(HttpContext ctx, ThreadHolder holder)
    {
        var q = new QueryReader(ctx.Request.Query, "count", "holdMs");
        var count = q.Number("count", 1, 1_000, 100);
        var holdMs = q.Number("holdMs", 1, ThreadHolder.MaxHoldMs, 30_000);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        return holder.Hold(count, holdMs)
            ? TypedResults.Ok(new EndpointResult("threads/hold", 0, []) with { CpuWorkMs = null })
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Too many held threads",
                detail: $"count: {count} more would exceed {ThreadHolder.MaxHeld} held at once ({holder.Held} now).");
    }

    private static IResult CpuSync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CpuParameters);
        var units = CpuUnits(q, lab.Cpu);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var sw = Stopwatch.StartNew();
        CpuWork.RunUnits(units, ctx.RequestAborted);
        return TypedResults.Ok(new EndpointResult("cpu/sync", Math.Round(sw.Elapsed.TotalMilliseconds, 2), [], NominalMs(units, lab.Cpu)));
    }

    private static async Task<IResult> CpuAsync(HttpContext ctx, ServerContext lab)
    {
        var q = new QueryReader(ctx.Request.Query, CpuParameters);
        var units = CpuUnits(q, lab.Cpu);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var sw = Stopwatch.StartNew();
        var ct = ctx.RequestAborted;
        await Task.Run(() => CpuWork.RunUnits(units, ct), ct);
        return TypedResults.Ok(new EndpointResult("cpu/async", Math.Round(sw.Elapsed.TotalMilliseconds, 2), [], NominalMs(units, lab.Cpu)));
    }

    private static readonly string[] CpuParameters = ["workMs", "workUnits"];

    /// <summary>
    /// <c>workUnits</c> (fixed work, the same in every process: what C9 compares) or <c>workMs</c> (this
    /// process's calibrated estimate; default 20), not both.
    /// </summary>
    private static long CpuUnits(QueryReader q, CpuWork cpu)
    {
        var workMs = q.OptionalNumber("workMs", 1, 10_000);
        var workUnits = q.OptionalNumber("workUnits", 1, 10_000_000);
        if (workMs is not null && workUnits is not null)
        {
            q.Reject("workUnits", "give workMs or workUnits, not both");
        }

        return workUnits ?? cpu.UnitsFor(workMs ?? 20);
    }

    private static int NominalMs(long units, CpuWork cpu) => (int)Math.Max(1, Math.Round(units / cpu.UnitsPerMs));
}
