using System.Globalization;
using System.Text.Json;
using Lab.Server.Http;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Backend;

/// <summary>
/// The slow dependency. Every delay is <c>await Task.Delay</c>: the backend holds no thread while it
/// waits, so it can keep thousands of requests pending and is never the bottleneck it is meant to model.
/// </summary>
public static class BackendEndpoints
{
    public const int MaxItems = 100_000;
    public const int MaxPayloadBytes = 10 * 1024 * 1024;
    public const string DelayHeader = "X-Lab-Delay-Ms";
    public const string ItemsHeader = "X-Lab-Items";
    public const string KindHeader = "X-Lab-Kind";

    public static readonly string[] Kinds = ["products", "widgets", "gizmos"];

    private static readonly DelaySpec s_defaultDelay = new(500, 500);

    public static IEndpointRouteBuilder MapBackend(this IEndpointRouteBuilder app)
    {
        foreach (var kind in Kinds)
        {
            app.MapGet($"/{kind}", (HttpContext ctx, LabCounters counters) => ListAsync(ctx, counters, kind))
                .WithMetadata(CallStyle.Async)
                .WithSummary($"Returns N {kind} after the delay; holds no thread while waiting.");
        }

        app.MapPost("/echo", EchoAsync).WithMetadata(CallStyle.Async).WithSummary("Echoes the uploaded body (at most 10 MB) after the delay.");
        app.MapGet("/fail", FailAsync).WithMetadata(CallStyle.Async).WithSummary("Answers the requested error status after the delay.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext ctx, LabCounters counters, string kind)
    {
        var q = new QueryReader(ctx.Request.Query, "delayMs", "items");
        var delay = q.Delay("delayMs", s_defaultDelay);
        var items = q.Number("items", 0, MaxItems, 10);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var delayMs = delay.Next();
        if (!await DelayAsync(delayMs, counters, ctx.RequestAborted))
        {
            return Results.Empty;
        }

        ctx.Response.ContentType = "application/json";
        SetHeaders(ctx.Response, kind, delayMs, items);
        await WriteItemsAsync(ctx.Response, kind, delayMs, items, ctx.RequestAborted);
        return Results.Empty;
    }

    private static async Task<IResult> EchoAsync(HttpContext ctx, LabCounters counters)
    {
        var q = new QueryReader(ctx.Request.Query, "delayMs");
        var delay = q.Delay("delayMs", new DelaySpec(0, 0));
        if (!q.IsValid)
        {
            return q.Problem();
        }

        if (ctx.Request.ContentLength > MaxPayloadBytes)
        {
            return TooLarge(ctx.Request.ContentLength.Value);
        }

        using var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            if (body.Length + n > MaxPayloadBytes)
            {
                return TooLarge(body.Length + n);
            }

            body.Write(buffer, 0, n);
        }

        var delayMs = delay.Next();
        if (!await DelayAsync(delayMs, counters, ctx.RequestAborted))
        {
            return Results.Empty;
        }

        SetHeaders(ctx.Response, "echo", delayMs, 0);
        return TypedResults.Bytes(body.ToArray(), ctx.Request.ContentType ?? "application/octet-stream");
    }

    private static async Task<IResult> FailAsync(HttpContext ctx, LabCounters counters)
    {
        var q = new QueryReader(ctx.Request.Query, "delayMs", "status");
        var delay = q.Delay("delayMs", new DelaySpec(0, 0));
        var status = q.Number("status", 400, 599, 500);
        if (!q.IsValid)
        {
            return q.Problem();
        }

        var delayMs = delay.Next();
        if (!await DelayAsync(delayMs, counters, ctx.RequestAborted))
        {
            return Results.Empty;
        }

        SetHeaders(ctx.Response, "fail", delayMs, 0);
        return TypedResults.Problem(statusCode: status, title: "Failure on demand", detail: $"The backend was asked to answer {status}.");
    }

    /// <summary>False when the caller went away first: the backend observed the cancellation (C7).</summary>
    private static async Task<bool> DelayAsync(int delayMs, LabCounters counters, CancellationToken aborted)
    {
        counters.DelayStarted();
        try
        {
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, aborted);
            }

            counters.DelayCompleted();
            return true;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            counters.DelayCancelled();
            return false;
        }
    }

    private static void SetHeaders(HttpResponse response, string kind, int delayMs, int items)
    {
        response.Headers[KindHeader] = kind;
        response.Headers[DelayHeader] = delayMs.ToString(CultureInfo.InvariantCulture);
        response.Headers[ItemsHeader] = items.ToString(CultureInfo.InvariantCulture);
    }

    private static async Task WriteItemsAsync(HttpResponse response, string kind, int delayMs, int items, CancellationToken ct)
    {
        var singular = kind[..^1];
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("kind", kind);
        json.WriteNumber("delayMs", delayMs);
        json.WriteStartArray("items");
        for (var i = 1; i <= items; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", i);
            json.WriteString("name", $"{singular}-{i}");
            json.WriteNumber("price", Math.Round(1 + (i % 97) * 0.25, 2));
            json.WriteEndObject();
            if (i % 1000 == 0)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(long bytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Upload too large",
        detail: $"body: {bytes} bytes is above the cap of {MaxPayloadBytes} bytes (10 MB).");
}
