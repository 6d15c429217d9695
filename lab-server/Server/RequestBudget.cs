namespace Lab.Server.Server;

/// <summary>
/// C7: one time budget for the whole request (the AsyncTimeout analog), not per backend call.
/// The effective budget is the smaller of the server's <c>Lab:RequestTimeoutMs</c> and the query's
/// <c>budgetMs</c>; its token cancels every backend call still pending when it runs out.
/// The timer behind it only queues its callback; the cancellation itself (which closes a blocked call's connection) runs
/// on a pool thread, so on a starved server the deadline is late too — measured for C7's serial page: the budget ended
/// after 1,000–1,500 ms of handler time, in steps of the gate thread's injections, against 700 ms with enough threads
/// (docs/why-the-pool-grew.md).
/// </summary>
public sealed class RequestBudget : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _aborted;

    public RequestBudget(int? serverTimeoutMs, int? queryBudgetMs, CancellationToken aborted)
    {
        _aborted = aborted;
        BudgetMs = (serverTimeoutMs, queryBudgetMs) switch
        {
            (null, null) => null,
            ({ } s, null) => s,
            (null, { } q) => q,
            ({ } s, { } q) => Math.Min(s, q),
        };

        if (BudgetMs is { } ms)
        {
            _timer = new CancellationTokenSource(ms);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _timer.Token);
            Token = _linked.Token;
        }
        else
        {
            Token = aborted;
        }
    }

    public int? BudgetMs { get; }

    public CancellationToken Token { get; }

    /// <summary>The budget ran out (as opposed to the client going away).</summary>
    public bool Expired => _timer?.IsCancellationRequested == true && !_aborted.IsCancellationRequested;

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
