namespace Lab.Server.Tests.Processes;

/// <summary>
/// A request kept in flight until disposed (then cancelled), so whatever it holds (a limiter permit, a backend
/// call) is held for as long as the test needs it, on any machine, rather than for a fixed delay.
/// </summary>
public sealed class HeldRequest : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task _request;

    public HeldRequest(HttpClient http, Uri url)
    {
        ArgumentNullException.ThrowIfNull(http);
        _request = Run(http, url, _cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        await _request;
        _cancel.Dispose();
    }

    private static async Task Run(HttpClient http, Uri url, CancellationToken ct)
    {
        try
        {
            using var _ = await http.GetAsync(url, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Released.
        }
    }
}
