namespace Lab.Server.Telemetry;

/// <summary>
/// The lab's own counters, updated with Interlocked from request code and read by the sampler thread.
/// Plain fields, no locks: recording must cost nothing a starved server would notice.
/// </summary>
public sealed class LabCounters
{
    private long _activeRequests;
    private long _rejectedRequests;
    private long _timedOutRequests;
    private long _backendActive;
    private long _backendCalls;
    private long _backendCallsCancelled;
    private long _leakedResponses;
    private long _openConnections;
    private long _backendStarted;
    private long _backendCompleted;
    private long _backendCancelled;

    public long ActiveRequests => Volatile.Read(ref _activeRequests);
    public long RejectedRequests => Volatile.Read(ref _rejectedRequests);
    public long TimedOutRequests => Volatile.Read(ref _timedOutRequests);
    public long BackendActive => Volatile.Read(ref _backendActive);
    public long BackendCalls => Volatile.Read(ref _backendCalls);
    public long BackendCallsCancelled => Volatile.Read(ref _backendCallsCancelled);
    public long LeakedResponses => Volatile.Read(ref _leakedResponses);
    public long OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Backend role: delayed requests that began waiting.</summary>
    public long BackendStarted => Volatile.Read(ref _backendStarted);

    /// <summary>Backend role: delayed requests answered.</summary>
    public long BackendCompleted => Volatile.Read(ref _backendCompleted);

    /// <summary>Backend role: delayed requests whose caller went away before the delay ended (C7).</summary>
    public long BackendCancelled => Volatile.Read(ref _backendCancelled);

    public void RequestStarted() => Interlocked.Increment(ref _activeRequests);
    public void RequestEnded() => Interlocked.Decrement(ref _activeRequests);
    public void RequestRejected() => Interlocked.Increment(ref _rejectedRequests);
    public void RequestTimedOut() => Interlocked.Increment(ref _timedOutRequests);

    public void BackendCallStarted()
    {
        Interlocked.Increment(ref _backendCalls);
        Interlocked.Increment(ref _backendActive);
    }

    public void BackendCallEnded() => Interlocked.Decrement(ref _backendActive);
    public void BackendCallCancelled() => Interlocked.Increment(ref _backendCallsCancelled);
    public void ResponseLeaked() => Interlocked.Increment(ref _leakedResponses);
    public void ConnectionsChanged(long delta) => Interlocked.Add(ref _openConnections, delta);

    public void DelayStarted() => Interlocked.Increment(ref _backendStarted);
    public void DelayCompleted() => Interlocked.Increment(ref _backendCompleted);
    public void DelayCancelled() => Interlocked.Increment(ref _backendCancelled);
}
