using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace Lab.Server.Hosting;

/// <summary>
/// Bodies for the errors routing answers without one: 404 (no such endpoint) and 405 (the endpoint exists but
/// not for this method) become problem details naming what was asked and what would have worked, like the
/// lab's own 400s, 502s and 504s.
/// </summary>
public static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var asked = $"{http.Request.Method} {http.Request.Path}";
        var (title, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("Not Found", $"No lab endpoint answers {asked}; GET /lab/info lists them all."),
            StatusCodes.Status405MethodNotAllowed => ("Method Not Allowed",
                $"{http.Request.Path} does not answer {http.Request.Method}; it answers {AllowedMethods(http)}."),
            _ => (ReasonPhrases.GetReasonPhrase(status), $"{asked} answered {status}."),
        };

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
        if (!written)
        {
            // The client accepts no JSON (Accept: text/html, say): plain text says the same.
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"{status} {title}: {detail}\n", http.RequestAborted);
        }
    }

    private static string AllowedMethods(HttpContext http) =>
        http.Response.Headers.Allow is { Count: > 0 } allow ? string.Join(", ", allow.ToArray()) : "other methods";
}
