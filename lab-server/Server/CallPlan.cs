using Lab.Server.Backend;
using Lab.Server.Http;

namespace Lab.Server.Server;

/// <summary>
/// What a server request asks of the backend, read from its query: the calls to make (kind, delay,
/// items), and an optional time budget. The same query shape works on every endpoint style, so a
/// scenario can vary the backend delay or fan-out count per request without restarting anything.
/// </summary>
public sealed record CallPlan(IReadOnlyList<BackendRequest> Calls, int? BudgetMs)
{
    public const int MaxFanOut = 100;
    public const int MaxBudgetMs = 3_600_000;

    /// <summary>
    /// Items one server request may ask of the backend across all its calls: as many as one list may hold. Without
    /// it, eight <c>/pwg/parallel-async?calls=100&amp;items=100000</c> requests asked the backend for 80 million items
    /// (about 3.9 GB of JSON) at once.
    /// </summary>
    public const int MaxItemsPerRequest = BackendEndpoints.MaxItems;
    private static readonly DelaySpec s_defaultDelay = new(500, 500);

    /// <summary>Single call: <c>delayMs</c>, <c>items</c>, <c>kind</c>, <c>budgetMs</c>.</summary>
    public static CallPlan OneCall(QueryReader q)
    {
        var kind = q.Choice("kind", BackendEndpoints.Kinds[0], BackendEndpoints.Kinds);
        var delay = q.Delay("delayMs", s_defaultDelay);
        var items = q.Number("items", 0, BackendEndpoints.MaxItems, 10);
        var budget = q.OptionalNumber("budgetMs", 1, MaxBudgetMs);
        return new CallPlan([new BackendRequest(kind, delay, items)], budget);
    }

    /// <summary>Fan-out "PWG": <c>calls</c> (default 3) cycling products, widgets, gizmos (C6).</summary>
    public static CallPlan FanOut(QueryReader q)
    {
        var count = q.Number("calls", 1, MaxFanOut, 3);
        var delay = q.Delay("delayMs", s_defaultDelay);
        var items = q.Number("items", 0, BackendEndpoints.MaxItems, 10);
        var budget = q.OptionalNumber("budgetMs", 1, MaxBudgetMs);
        if ((long)count * items > MaxItemsPerRequest)
        {
            q.Reject("items", $"calls × items = {count} × {items} = {(long)count * items:N0} is above the cap of {MaxItemsPerRequest:N0} items per request; ask for fewer");
        }

        var calls = Enumerable.Range(0, count)
            .Select(i => new BackendRequest(BackendEndpoints.Kinds[i % BackendEndpoints.Kinds.Length], delay, items))
            .ToArray();
        return new CallPlan(calls, budget);
    }

    public static readonly string[] SingleParameters = ["kind", "delayMs", "items", "budgetMs"];
    public static readonly string[] FanOutParameters = ["calls", "delayMs", "items", "budgetMs"];
}
