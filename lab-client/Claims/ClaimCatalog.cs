namespace Lab.Client.Claims;

/// <summary>A claim of the source documents (DESIGN.md §9), or one that cannot apply here and why.</summary>
public sealed record Claim(string Id, string Title, string Sources, string? NotApplicable = null);

/// <summary>Every claim the claims report has a row for, in order.</summary>
public static class ClaimCatalog
{
    private const string S003 = "using-asynchronous-methods-in-aspnet-45.md";
    private const string S000 = "making-asynchronous-requests.md";
    private const string S001 = "httpwebrequest-begingetrequeststream.txt";
    private const string S002 = "asynchronous-aspnet-page-processing.txt";

    public static readonly IReadOnlyList<Claim> All =
    [
        new("C1", "Sync handlers over a slow backend exhaust pool threads; requests queue; async holds no thread", S003),
        new("C2", "The pool injects threads slowly, so bursty load gets poor responsiveness", S003),
        new("C3", "A full request queue answers 503; raising the queue limit (1,000 → 5,000) changes that", S003),
        new("C4", "Each thread costs ~1 MB of stack: 5,000 threads ≈ 5 GB more than 50", S003),
        new("C5", "At low load an async request takes the same time as a sync one", S003),
        new("C6", "Three 500 ms calls: parallel async ≈ 500 ms, serial sync ≈ 1,500 ms", $"{S003}, {S002}"),
        new("C7", "A timeout cancels pending async work; the budget is for the whole request", $"{S003}, {S002}"),
        new("C8", "Outbound connections are capped at 12 × CPUs; raise the cap to raise throughput", S003),
        new("C9", "Async gives no benefit and adds overhead for CPU-bound work", S003),
        new("C10", "A synchronous call inside async code causes severe penalties", S000),
        new("C11", "Every response stream must be closed, or the app runs out of connections", S000),
        new("C12", "The Begin/End (APM) chain serves requests without blocking threads", $"{S000}, {S001}"),
        new("C13", "Converting a few slow synchronous methods gives most of the benefit", S003),
        new("C14", "The pool maximum (5,000 in .NET 4.5) bounds growth; beyond it requests wait", S003),
        new("—", "Windows client OSes serve at most 10 concurrent requests", S003,
            NotApplicable: "IIS on Windows client editions only; the lab runs Kestrel on Linux, which has no such limit"),
    ];
}
