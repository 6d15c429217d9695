namespace Lab.Server.Server;

/// <summary>
/// How far a request got through its planned backend calls, so a timed-out request can say what
/// it cancelled and what it never started (C7: nothing starts after the deadline).
/// </summary>
public sealed class FanOutProgress(int planned)
{
    private int _started;
    private int _completed;

    public int Planned { get; } = planned;
    public int Started => Volatile.Read(ref _started);
    public int Completed => Volatile.Read(ref _completed);
    public void OnStarted() => Interlocked.Increment(ref _started);
    public void OnCompleted() => Interlocked.Increment(ref _completed);
}
