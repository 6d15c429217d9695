using System.Diagnostics;
using System.Net;

namespace Lab.Server.Server.Probes;

#pragma warning disable SYSLIB0014 // C17: HttpWebRequest is the API under test.

/// <summary>
/// C17: "one request cannot mix synchronous and asynchronous methods; after BeginGetRequestStream you must use
/// BeginGetResponse". Runs one named sequence on ONE <c>HttpWebRequest</c> that POSTs a known body to the backend's
/// <c>/echo</c> (default write buffering), and checks the echo. The synchronous steps block the request's thread:
/// that is what they do, and part of what the sequence shows.
/// </summary>
public static class ApmMixProbe
{
    /// <summary>BeginGetRequestStream/EndGetRequestStream, write, then the synchronous GetResponse().</summary>
    public const string BeginStreamSyncResponse = "beginStream-syncResponse";

    /// <summary>GetRequestStream(), write, then BeginGetResponse/EndGetResponse.</summary>
    public const string SyncStreamBeginResponse = "syncStream-beginResponse";

    /// <summary>BeginGetRequestStream/EndGetRequestStream, write, BeginGetResponse, then GetResponse() while it runs, then EndGetResponse.</summary>
    public const string BeginResponseSyncResponse = "beginResponse-syncResponse";

    /// <summary>The all-asynchronous control, S001's own sample: Begin/End for the stream and the response.</summary>
    public const string BeginStreamBeginResponse = "beginStream-beginResponse";

    /// <summary>The probe's bound: the exchange takes milliseconds on loopback.</summary>
    public const int BudgetMs = 30_000;

    public static readonly string[] Sequences = [BeginStreamSyncResponse, SyncStreamBeginResponse, BeginResponseSyncResponse, BeginStreamBeginResponse];

    public static async Task<ProbeReport> RunAsync(Uri backend, string sequence, CancellationToken requestAborted)
    {
        var request = ProbeRequests.Echo(backend, buffering: true);
        // No proxy: straight to the loopback backend, like /apm.
        request.Proxy = null;
        using var deadline = new ProbeDeadline(request, BudgetMs, requestAborted);
        var timing = new ServerTiming();
        var details = new Dictionary<string, long> { ["bytesSent"] = ProbeRequests.EchoBody.Length };
        var start = Stopwatch.GetTimestamp();
        var step = "";
        ProbeFailure? failure = null;
        byte[]? echo = null;
        try
        {
            var streamStarted = Stopwatch.GetTimestamp();
            Stream stream;
            if (sequence == SyncStreamBeginResponse)
            {
                step = "GetRequestStream";
                stream = request.GetRequestStream();
            }
            else
            {
                step = "BeginGetRequestStream/EndGetRequestStream";
                stream = await Apm(request.BeginGetRequestStream, request.EndGetRequestStream);
            }

            timing.Ms(ProbeMetrics.MixStream, Stopwatch.GetElapsedTime(streamStarted).TotalMilliseconds);
            step = "write the body";
            ProbeRequests.WriteBody(stream);

            var responseStarted = Stopwatch.GetTimestamp();
            switch (sequence)
            {
                case BeginStreamSyncResponse:
                {
                    step = "GetResponse";
                    using var response = request.GetResponse();
                    timing.Ms(ProbeMetrics.MixResponse, Stopwatch.GetElapsedTime(responseStarted).TotalMilliseconds);
                    step = "read the response";
                    echo = ProbeRequests.ReadAll(response);
                    break;
                }

                case BeginResponseSyncResponse:
                {
                    step = "BeginGetResponse";
                    var pending = request.BeginGetResponse(null, null);
                    step = "GetResponse";
                    using var viaSync = request.GetResponse();
                    step = "EndGetResponse";
                    using var viaEnd = request.EndGetResponse(pending);
                    timing.Ms(ProbeMetrics.MixResponse, Stopwatch.GetElapsedTime(responseStarted).TotalMilliseconds);
                    details["sameResponseObject"] = ReferenceEquals(viaSync, viaEnd) ? 1 : 0;
                    step = "read the response";
                    echo = ProbeRequests.ReadAll(viaSync);
                    break;
                }

                default:
                {
                    step = "BeginGetResponse/EndGetResponse";
                    using var response = await Apm(request.BeginGetResponse, request.EndGetResponse);
                    timing.Ms(ProbeMetrics.MixResponse, Stopwatch.GetElapsedTime(responseStarted).TotalMilliseconds);
                    step = "read the response";
                    echo = await ProbeRequests.ReadAllAsync(response, deadline.Token);
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            failure = ProbeFailure.Of(step, ex);
        }

        var timedOut = deadline.Expired;
        timing.Ms(ProbeMetrics.MixTotal, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        timing.YesNo(ProbeMetrics.MixEchoed, echo is not null && echo.AsSpan().SequenceEqual(ProbeRequests.EchoBody.Span));
        timing.YesNo(ProbeMetrics.MixThrew, failure is not null && !timedOut);
        details["bytesEchoed"] = echo?.Length ?? 0;
        return new ProbeReport(ProbeMetrics.Mix, sequence, timing.Entries, details, failure, timedOut ? deadline.BudgetMs : null);
    }

    /// <summary>Begin with a callback, End in it, as S001's sample does; bridged to an await (the deadline's abort ends it too).</summary>
    private static Task<T> Apm<T>(Func<AsyncCallback, object?, IAsyncResult> begin, Func<IAsyncResult, T> end) =>
        Task.Factory.FromAsync(begin, end, null);
}
