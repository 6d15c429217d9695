using System.Text.Json.Serialization;

namespace Lab.Server.Server.Probes;

/// <summary>
/// What a probe measured: the same entries as its <c>Server-Timing</c> header, plus facts that are not durations
/// (thread ids, pool sizes) and, when the API under test threw, what and where. The body of a 200; a 500 or 504
/// carries the same facts as problem-details extensions.
/// </summary>
public sealed record ProbeReport(
    [property: JsonPropertyName("probe")] string Probe,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("serverTiming")] IReadOnlyList<ServerTimingEntry> ServerTiming,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, long> Details,
    [property: JsonPropertyName("failure"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProbeFailure? Failure,
    [property: JsonPropertyName("timedOutAfterMs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TimedOutAfterMs = null)
{
    /// <summary>
    /// The answer: the <c>Server-Timing</c> header in every case; 200 with this report when the sequence ran; 504 when
    /// the probe's own bound ran out first; otherwise 500 problem details naming the exception type and message.
    /// </summary>
    public IResult ToResult(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[Probes.ServerTiming.HeaderName] = Probes.ServerTiming.Format(ServerTiming);
        var extensions = new Dictionary<string, object?>
        {
            ["probe"] = Probe,
            ["method"] = Method,
            ["serverTiming"] = ServerTiming,
            ["details"] = Details,
        };
        if (TimedOutAfterMs is { } ms)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "Probe did not finish in time",
                detail: $"/probe/{Probe} ({Method}) did not finish within its bound of {ms} ms; the request under test was aborted.",
                extensions: extensions);
        }

        if (Failure is { } f)
        {
            extensions["step"] = f.Step;
            extensions["exceptionType"] = f.Type;
            extensions["exceptionMessage"] = f.Message;
            extensions["innerExceptionType"] = f.InnerType;
            return TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: "The API under test threw",
                detail: $"{f.Step} threw {f.Type}: {f.Message}",
                extensions: extensions);
        }

        return TypedResults.Json(this, ProbeJson.Default.ProbeReport);
    }
}
