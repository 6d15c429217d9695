using System.Threading.RateLimiting;

namespace Lab.Server.Hosting;

/// <summary>
/// C3: the analog of the IIS/HTTP.sys request queue. One process-wide ConcurrencyLimiter
/// (<c>PermitLimit</c> running, <c>QueueLimit</c> waiting, oldest first); ASP.NET Core's rate-limiting
/// middleware answers 503 beyond the queue. Held here, not created by a partition factory, so the
/// sampler can read its queue length and the lab's own <c>/lab/*</c> paths are never limited.
/// </summary>
public sealed class RequestLimiter : PartitionedRateLimiter<HttpContext>
{
    private readonly ConcurrencyLimiter _limiter;

    public RequestLimiter(int permitLimit, int queueLimit)
    {
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = permitLimit,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public long QueuedRequests => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => _limiter.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        IsLabPath(resource) ? FreeLease.Instance : _limiter.AttemptAcquire(permitCount);

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        IsLabPath(resource) ? ValueTask.FromResult<RateLimitLease>(FreeLease.Instance) : _limiter.AcquireAsync(permitCount, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limiter.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The lab's own paths: <c>/lab/*</c> and <c>/metrics</c>. Never limited, never counted as load.</summary>
    internal static bool IsLabPath(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/lab", StringComparison.Ordinal)
        || context.Request.Path.StartsWithSegments(Telemetry.Metrics.LabMetrics.Path, StringComparison.Ordinal);

    private sealed class FreeLease : RateLimitLease
    {
        public static readonly FreeLease Instance = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
