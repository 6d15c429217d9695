using System.Diagnostics;
using Lab.Server.Configuration;
using Lab.Server.Telemetry;

namespace Lab.Server.Server;

/// <summary>
/// What every server endpoint needs, and the one place that turns a style's work into a response:
/// 200 with the backend's work, 502 when the backend failed, 504 when the request's budget ran out.
/// </summary>
public sealed class ServerContext(LabSettings settings, BackendClient backend, LabCounters counters, CpuWork cpu)
{
    public LabSettings Settings { get; } = settings;
    public BackendClient Backend { get; } = backend;
    public LabCounters Counters { get; } = counters;
    public CpuWork Cpu { get; } = cpu;

    public delegate IReadOnlyList<BackendCallResult> SyncWork(CancellationToken ct, FanOutProgress progress);
    public delegate Task<IReadOnlyList<BackendCallResult>> AsyncWork(CancellationToken ct, FanOutProgress progress);

    /// <summary>Runs blocking work on the request's own thread; the thread is held until it returns.</summary>
    public IResult Run(HttpContext ctx, string endpoint, CallPlan plan, SyncWork work)
    {
        var sw = Stopwatch.StartNew();
        using var budget = new RequestBudget(Settings.RequestTimeoutMs, plan.BudgetMs, ctx.RequestAborted);
        var progress = new FanOutProgress(plan.Calls.Count);
        try
        {
            return Done(endpoint, sw, work(budget.Token, progress));
        }
        catch (Exception ex) when (Failed(ex, budget, progress, sw, out var result))
        {
            return result;
        }
    }

    /// <summary>Runs awaited work; no thread is held while it waits.</summary>
    public async Task<IResult> RunAsync(HttpContext ctx, string endpoint, CallPlan plan, AsyncWork work)
    {
        var sw = Stopwatch.StartNew();
        using var budget = new RequestBudget(Settings.RequestTimeoutMs, plan.BudgetMs, ctx.RequestAborted);
        var progress = new FanOutProgress(plan.Calls.Count);
        try
        {
            return Done(endpoint, sw, await work(budget.Token, progress));
        }
        catch (Exception ex) when (Failed(ex, budget, progress, sw, out var result))
        {
            return result;
        }
    }

    private static IResult Done(string endpoint, Stopwatch sw, IReadOnlyList<BackendCallResult> calls)
    {
        var body = new EndpointResult(endpoint, Math.Round(sw.Elapsed.TotalMilliseconds, 2), calls);
        return calls.All(c => c.IsSuccess) ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status502BadGateway);
    }

    private bool Failed(Exception ex, RequestBudget budget, FanOutProgress progress, Stopwatch sw, out IResult result)
    {
        switch (ex)
        {
            case OperationCanceledException when budget.Expired:
                Counters.RequestTimedOut();
                var cancelled = progress.Started - progress.Completed;
                var notStarted = progress.Planned - progress.Started;
                result = TypedResults.Problem(
                    statusCode: StatusCodes.Status504GatewayTimeout,
                    title: "Request budget exhausted",
                    detail: $"The {budget.BudgetMs} ms budget for the whole request ran out after {sw.ElapsedMilliseconds} ms: "
                        + $"{progress.Completed} of {progress.Planned} backend calls completed, {cancelled} cancelled, {notStarted} never started.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["budgetMs"] = budget.BudgetMs,
                        ["completed"] = progress.Completed,
                        ["cancelled"] = cancelled,
                        ["notStarted"] = notStarted,
                    });
                return true;
            case OperationCanceledException when budget.Token.IsCancellationRequested:
                // The client went away; nobody is listening for an answer.
                result = Results.Empty;
                return true;
            case OperationCanceledException or TimeoutException:
                Counters.RequestTimedOut();
                result = TypedResults.Problem(
                    statusCode: StatusCodes.Status504GatewayTimeout,
                    title: "Backend call timed out",
                    detail: $"A backend call exceeded Lab:BackendTimeoutMs = {Settings.BackendTimeoutMs} ms.");
                return true;
            case HttpRequestException http:
                result = TypedResults.Problem(
                    statusCode: StatusCodes.Status502BadGateway,
                    title: "Backend unreachable",
                    detail: $"{Backend.BaseAddress}: {http.Message}");
                return true;
            default:
                result = Results.Empty;
                return false;
        }
    }
}
