using System.Net;

namespace Lab.Server.Server.Probes;

#pragma warning disable SYSLIB0014 // C15–C17: HttpWebRequest is the API under test.

/// <summary>
/// Every probe is bounded: when its budget runs out, or the client goes away, the request under test is aborted,
/// which ends whatever call is waiting on it (a blocked <c>GetResponse()</c> included) with a <c>WebException</c>.
/// </summary>
public sealed class ProbeDeadline : IDisposable
{
    private readonly CancellationTokenSource _budget;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationTokenRegistration _abort;

    public ProbeDeadline(HttpWebRequest request, int budgetMs, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(request);
        BudgetMs = budgetMs;
        // The synchronous path has its own clock too: HttpClient.Timeout, which HttpWebRequest.Timeout sets.
        request.Timeout = budgetMs;
        _budget = new CancellationTokenSource(budgetMs);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_budget.Token, requestAborted);
        _abort = _linked.Token.Register(static r => ((HttpWebRequest)r!).Abort(), request);
    }

    public int BudgetMs { get; }

    /// <summary>Cancelled when the budget runs out or the client went away.</summary>
    public CancellationToken Token => _linked.Token;

    public bool Expired => _budget.IsCancellationRequested;

    public void Dispose()
    {
        _abort.Dispose();
        _linked.Dispose();
        _budget.Dispose();
    }
}
