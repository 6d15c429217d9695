namespace Lab.Client.Claims;

/// <summary>
/// Every claim the lab knows, in order — the single table behind the claims report, docs/claims.md (generated
/// from it and checked by a test), the validator's list of claim ids and the benchmark index. What each source
/// says is written in the lab's own words with the source's own numbers; scenarios say what was measured.
/// </summary>
public static class ClaimCatalog
{
    private static readonly SourceDocument S003 = SourceDocument.AspNet45;
    private static readonly SourceDocument S000 = SourceDocument.AsyncRequests;
    private static readonly SourceDocument S001 = SourceDocument.BeginGetRequestStream;
    private static readonly SourceDocument S002 = SourceDocument.PageProcessing;

    public static readonly IReadOnlyList<Claim> All =
    [
        new("C1", "Sync handlers over a slow backend exhaust pool threads; requests queue; async holds no thread", [S003],
            "A synchronous request keeps its pool thread for the whole backend call, so under enough concurrent slow calls every thread is busy "
            + "(the .NET 4.5 default maximum was 5,000) and new requests wait in a queue; an asynchronous request uses no thread between the call and its await.",
            "c1-burst.yaml", [], WhereThreadsWait: true),
        new("C2", "The pool injects threads slowly, so bursty load gets poor responsiveness", [S003],
            "The thread pool adds new threads at a limited rate, so when a burst of requests arrives and every thread is blocked on a slow backend, "
            + "the application responds very poorly until the pool has grown.",
            "c2-injection.yaml", ["ThreadVersusPoolBenchmarks"]),
        new("C3", "A full request queue answers 503; raising the queue limit (1,000 → 5,000) changes that", [S003],
            "When the web server's request queue is full, it rejects requests with HTTP 503 (Server Too Busy); the HTTP.sys queue holds 1,000 "
            + "requests by default and the advice is to raise it to 5,000.",
            "c3-queue-503.yaml", []),
        new("C4", "Each thread costs ~1 MB of stack: 5,000 threads ≈ 5 GB more than 50", [S003],
            "Every thread added to the pool carries overhead such as 1 MB of stack, so an application whose pool grows to 5,000 blocked threads "
            + "uses about 5 GB more memory than an asynchronous one serving the same load with 50.",
            "c4-memory-per-thread.yaml", ["ThreadVersusPoolBenchmarks"]),
        new("C5", "At low load an async request takes the same time as a sync one", [S003],
            "An asynchronous request takes as long to process as a synchronous one — a web service call of two seconds takes two seconds "
            + "either way; what async changes is that no thread is blocked while it waits.",
            "c5-low-load.yaml", []),
        new("C6", "Three 500 ms calls: parallel async ≈ 500 ms, serial sync ≈ 1,500 ms", [S003, S002],
            "A page that makes three independent 500 ms backend calls takes a little over 500 ms when it makes them in parallel asynchronously, "
            + "and over 1,500 ms when it makes them one after another synchronously.",
            "c6-parallel-calls.yaml", []),
        new("C7", "A timeout cancels pending async work; the budget is for the whole request", [S003, S002],
            "A page-wide timeout (AsyncTimeout, one second in the sample) cancels the asynchronous work still pending through a CancellationToken; "
            + "it is a budget for the whole request, not for each call.",
            "c7-timeout-budget.yaml", []),
        new("C8", "Outbound connections are capped at 12 × CPUs; raise the cap to raise throughput", [S003],
            "ASP.NET limits outbound connections to one endpoint to 12 per CPU (48 on a four-processor machine) through autoConfig; "
            + "raising maxconnection lets more backend calls run at once.",
            "c8-connection-cap.yaml", []),
        new("C9", "Async gives no benefit and adds overhead for CPU-bound work", [S003],
            "For work that is mostly CPU rather than disk or network, asynchronous methods bring no benefit and add overhead.",
            "c9-cpu-bound.yaml", ["CpuBoundCallBenchmarks", "AwaitBenchmarks"], VerdictRule.PairedNoBenefit,
            Paired: new PairedComparison("sync", "async", "throughput.mean", HigherIsBetter: true)),
        new("C10", "A synchronous call inside async code causes severe penalties", [S000],
            "Making synchronous calls inside asynchronous callbacks can cause severe performance penalties; a request that started asynchronously "
            + "must keep reading asynchronously.",
            "c10-sync-over-async.yaml", ["AwaitBenchmarks"], WhereThreadsWait: true),
        new("C11", "Every response stream must be closed, or the app runs out of connections", [S000],
            "Every request and response stream must be closed; an application that leaves them open runs out of connections to the server "
            + "and cannot process more requests.",
            "c11-leak.yaml", []),
        new("C12", "The Begin/End (APM) chain serves requests without blocking threads", [S000, S001],
            "Chaining Begin/End calls with callbacks (BeginGetResponse, then BeginRead until the stream ends) makes a request without blocking "
            + "a thread while it waits.",
            "c12-apm.yaml", ["ApmBridgeBenchmarks", "ApmCompletedBenchmarks"], WhereThreadsWait: true),
        new("C13", "Converting a few slow synchronous methods gives most of the benefit", [S003],
            "Few applications need every method asynchronous: converting a few synchronous methods, the ones that block on slow I/O, "
            + "often gives the best gain for the work it takes.",
            "c13-mixed.yaml", [], WhereThreadsWait: true),
        new("C14", "The pool maximum (5,000 in .NET 4.5) bounds growth; beyond it requests wait", [S003],
            "The number of pool threads is limited (a default maximum of 5,000 in .NET 4.5); once every one of them is busy, further requests queue.",
            "c14-max-threads.yaml", ["ThreadVersusPoolBenchmarks"]),
        new("C15", "A Begin call does synchronous setup (DNS, proxy, connect) on the calling thread, typically for seconds", [S001],
            "BeginGetRequestStream has to finish synchronous setup — name resolution, proxy detection, the TCP connection — on the calling "
            + "thread before it becomes asynchronous; that typically takes several seconds, and 60 s or more where proxy scripts are "
            + "misconfigured, so it must never be called on a UI thread.",
            "c15-begin-setup.yaml", ["ApmBridgeBenchmarks"]),
        new("C16", "BeginGetRequestStream throws InvalidOperationException when the pool is running out of threads", [S001],
            "Among the exceptions BeginGetRequestStream can throw is InvalidOperationException when the thread pool is running out of threads.",
            "c16-begin-starved.yaml", []),
        new("C17", "One request cannot mix synchronous and asynchronous methods", [S001],
            "An application cannot mix synchronous and asynchronous methods on one request: after BeginGetRequestStream the response "
            + "must be fetched with BeginGetResponse.",
            "c17-mix-sync-async.yaml", []),
        new("C18", "A full request queue answers 503 even when the threads are all busy", [S003],
            "When every pool thread is busy the web server queues requests, and when that queue is full it rejects them with HTTP 503 "
            + "(Server Too Busy) — the HTTP.sys queue holds 1,000 by default.",
            "c18-503-under-starvation.yaml", []),
        new("—", "Windows client OSes serve at most 10 concurrent requests", [S003],
            "Windows client editions (Windows 7, Vista, 8) serve at most 10 concurrent requests, so the benefit of asynchronous methods under load "
            + "shows only on a Windows Server.",
            null, [], VerdictRule.NotApplicable,
            NotApplicable: "IIS on Windows client editions only; the lab runs Kestrel on Linux, which has no such limit"),
    ];

    /// <summary>The claims a scenario can test (those with an id of the form C1, C2, …).</summary>
    public static IEnumerable<Claim> Testable => All.Where(c => c.Rule != VerdictRule.NotApplicable);

    public static Claim? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>The claims a benchmark class bears on.</summary>
    public static IEnumerable<Claim> ForBenchmark(string benchmarkClass) => All.Where(c => c.Benchmarks.Contains(benchmarkClass));
}
