namespace Lab.Server.Telemetry.Metrics;

/// <summary>
/// Endpoint metadata: how the endpoint treats threads while it waits, the <c>lab.style</c> attribute of
/// <c>lab.requests</c>. Lets a dashboard split throughput and outcomes by style without knowing routes.
/// </summary>
public sealed record CallStyle(string Name)
{
    public static readonly CallStyle Sync = new("sync");
    public static readonly CallStyle SyncOverAsync = new("sync-over-async");
    public static readonly CallStyle Async = new("async");
    public static readonly CallStyle Apm = new("apm");
    public static readonly CallStyle TaskRun = new("task-run");
    public static readonly CallStyle NoWait = new("none");
}
