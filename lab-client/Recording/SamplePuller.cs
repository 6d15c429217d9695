using System.Net.Http.Json;
using System.Text.Json;
using Lab.Contracts;

namespace Lab.Client.Recording;

/// <summary>
/// Remote mode: copies a server's samples from <c>/lab/samples?after=N</c> into a local JSON-lines file,
/// each exactly once. A starved server answers late; the puller just asks again, and its buffer
/// keeps what was taken meanwhile (a gap is reported if the buffer already dropped samples).
/// </summary>
public sealed class SamplePuller(HttpClient http, Uri server, string path) : IDisposable
{
    // One pull at a time: the once-a-second tick does not wait for a slow pull, and the catch-up pull after the load
    // may start while the last tick's is still out; without this both appended the same page (seen 1 run in 11).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _after;

    public ServerSample? Latest { get; private set; }

    public List<string> Gaps { get; } = [];

    /// <summary>Pulls every page available now; false if the server did not answer.</summary>
    public async Task<bool> PullAsync(CancellationToken ct)
    {
        try
        {
            await _gate.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            while (true)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var page = await http.GetFromJsonAsync(new Uri(server, $"/lab/samples?after={_after}&max=5000"), ContractsJson.Default.SamplePage, timeout.Token);
                if (page is null || page.Samples.Count == 0) return true;
                if (page.FirstAvailableSeq > _after + 1)
                {
                    Gaps.Add($"samples {_after + 1}–{page.FirstAvailableSeq - 1} were dropped by the server's buffer before they were pulled");
                }

                await using (var file = new StreamWriter(path, append: true))
                {
                    foreach (var s in page.Samples.Where(s => s.Seq > _after))
                    {
                        await file.WriteLineAsync(JsonSerializer.Serialize(s, ContractsJson.Default.ServerSample));
                    }
                }

                _after = page.Samples[^1].Seq;
                Latest = page.Samples[^1];
                if (_after >= page.LatestSeq) return true;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
