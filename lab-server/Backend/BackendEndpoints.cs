using System.Globalization;
using System.Text.Json;
using Lab.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Metrics;

namespace Lab.Server.Backend;

/// <summary>
/// The slow dependency. Every delay is <c>await Task.Delay</c>: the backend holds no thread while it
/// waits, so it can keep thousands of requests pending and is never the bottleneck it is meant to model; and
/// it writes with backpressure, so a slow reader costs it a small buffer rather than the whole answer.
/// </summary>
public static class BackendEndpoints
{
    /// <summary>Items in one list: about 4.8 MB of JSON at 100,000.</summary>
    public const int MaxItems = 100_000;

    /// <summary>Largest upload <c>/echo</c> accepts (413 beyond).</summary>
    public const int MaxPayloadBytes = 10 * 1024 * 1024;

    /// <summary>How much of a list is produced before the writer waits for the reader (see <see cref="WriteItemsAsync"/>).</summary>
    public const int FlushEveryBytes = 16 * 1024;
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
        try
        {
            await WriteItemsAsync(ctx.Response, kind, delayMs, items, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The reader went away mid-list.
        }

        return Results.Empty;
    }

    /// <summary>
    /// Streams the upload back after the delay, as it arrives: Kestrel buffers at most 1 MB of an unread request
    /// body and every write awaits its flush, so an echo costs the backend a small buffer whatever its size.
    /// </summary>
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

        // A body without a declared length is cut off at the cap by Kestrel itself while it is read.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxPayloadBytes;
        }

        var delayMs = delay.Next();
        if (!await DelayAsync(delayMs, counters, ctx.RequestAborted))
        {
            return Results.Empty;
        }

        SetHeaders(ctx.Response, "echo", delayMs, 0);
        ctx.Response.ContentType = ctx.Request.ContentType ?? "application/octet-stream";
        ctx.Response.ContentLength = ctx.Request.ContentLength;
        try
        {
            await ctx.Request.Body.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            if (!ctx.Response.HasStarted)
            {
                ctx.Response.Headers.Remove(KindHeader);
                ctx.Response.ContentLength = null;
                return TooLarge(MaxPayloadBytes + 1L);
            }

            // Part of the echo is already on its way: all that is left to say is to cut the connection.
            ctx.Abort();
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }

        return Results.Empty;
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

    /// <summary>
    /// Streams the list with backpressure: every <see cref="FlushEveryBytes"/> it hands the bytes to Kestrel and
    /// awaits the flush, which waits while more than Kestrel's response buffer (64 KB by default) is unsent. A
    /// reader that stops reading therefore holds one small buffer here, not the whole list. (Measured before: the
    /// writer only committed to the pipe and flushed at the end, so 40 slow readers of 100,000 items took the
    /// backend from 87 to 331 MB.)
    /// </summary>
    private static async Task WriteItemsAsync(HttpResponse response, string kind, int delayMs, int items, CancellationToken ct)
    {
        var singular = kind[..^1];
        var body = response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("kind", kind);
        json.WriteNumber("delayMs", delayMs);
        json.WriteStartArray("items");
        long flushedBytes = 0;
        for (var i = 1; i <= items; i++)
        {
            WriteItem(json, singular, i);
            if (json.BytesCommitted + json.BytesPending - flushedBytes >= FlushEveryBytes)
            {
                json.Flush();
                flushedBytes = json.BytesCommitted;
                var flushed = await body.FlushAsync(ct);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    // The reader went away: nobody wants the rest.
                    return;
                }
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await body.FlushAsync(ct);
    }

    private static void WriteItem(Utf8JsonWriter json, string singular, int id)
    {
        // The name formatted on the stack: a 100,000-item list allocates no strings.
        Span<char> name = stackalloc char[singular.Length + 11];
        singular.CopyTo(name);
        name[singular.Length] = '-';
        id.TryFormat(name[(singular.Length + 1)..], out var digits, provider: CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteString("name", name[..(singular.Length + 1 + digits)]);
        json.WriteNumber("price", Math.Round(1 + (id % 97) * 0.25, 2));
        json.WriteEndObject();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(long bytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Upload too large",
        detail: $"body: {bytes} bytes is above the cap of {MaxPayloadBytes} bytes (10 MB).");
}
