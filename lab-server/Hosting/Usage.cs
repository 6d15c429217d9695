namespace Lab.Server.Hosting;

/// <summary>The text of <c>lab-server --help</c>.</summary>
public static class Usage
{
    public const string Text = """
        lab-server — the thread-starvation lab's backend and server, one executable, two roles.

        Usage:
          dotnet lab-server/bin/Release/net10.0/Lab.Server.dll backend [--urls URL] [--Lab:Key=value ...]
          dotnet lab-server/bin/Release/net10.0/Lab.Server.dll server  [--urls URL] [--Lab:Key=value ...]

        Roles:
          backend   the slow dependency: /products /widgets /gizmos ?delayMs=500|200-800&items=N,
                    POST /echo (<= 10 MB), /fail?status=503. Waits with await Task.Delay (holds no thread).
          server    the same backend call in each style: /sync /sync-over-async /async /apm /leaky /fast,
                    /pwg/serial-sync /pwg/parallel-async ?calls=3&budgetMs=..., /cpu/sync /cpu/async ?workMs=20 or ?workUnits=10000,
                    /threads/hold?count=200&holdMs=30000 (C4: dedicated blocked threads, at most 5000).
        Both:       /lab/info, /lab/samples?after=N, /lab/counters, /metrics (Prometheus text; Lab:Metrics=off turns it off).

        Listens on http://127.0.0.1:5100 (server) or :5101 (backend) unless --urls says otherwise;
        --urls http://127.0.0.1:0 picks a free port. Prints "lab-server ready: ... url=..." once listening.

        Settings (section Lab: --Lab:Key=value, environment Lab__Key=value, or appsettings.json):
          BackendUrl               server → backend base URL              (default http://127.0.0.1:5101)
          MinWorkerThreads         ThreadPool.SetMinThreads workers        (default: processor count)
          MaxWorkerThreads         ThreadPool.SetMaxThreads workers        (default: 32767)
          ConcurrencyLimit         concurrency limiter permits             (default: off; Kestrel alone never 503s)
          QueueLimit               requests waiting for a permit; beyond: 503 (default 1000, like HTTP.sys)
          RequestTimeoutMs         whole-request budget, AsyncTimeout analog (default: none)
          MaxConnectionsPerServer  outbound connections: unlimited | N | 12xCPU (default unlimited)
          MaxConcurrentConnections Kestrel connection limit                (default: unlimited)
          PrewarmConnections       backend connections opened before ready (default 0; see README: sync on a cold pool)
          BackendTimeoutMs         outbound HttpClient.Timeout             (default 100000)
          SampleIntervalMs         telemetry interval, dedicated thread    (default 100)
          SampleFile               JSON-lines telemetry file, flushed per sample (default: none)
          SampleBufferCapacity     samples kept for /lab/samples           (default 36000)
          ShutdownTimeoutMs        graceful shutdown bound; then self-kill (default 3000)
          ParentProcessId          stop when this process is gone (set by lab-client: no orphans)

        Exit codes: 0 stopped normally; 1 could not start (port in use, backend unreachable for prewarm); 2 bad arguments or settings;
        137 killed itself because graceful shutdown stalled (starved thread pool).

        """;
}
