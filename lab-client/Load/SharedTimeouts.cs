using System.Diagnostics;

namespace Lab.Client.Load;

/// <summary>
/// The requests' timeouts (<c>client.timeoutS</c>), one cancellation source per <see cref="SlotMs"/> of send times
/// instead of one per request. Measured at 8,000 requests/s: a linked source with its own timer per request was a
/// quarter of everything the client allocated (the timer, the source, its registrations) and two locked timer-queue
/// operations per request. Every request sent within one slot shares a source linked to the run's abort signal that
/// cancels <see cref="TimeSpan"/> timeout after the slot's end: each request gets its full timeout and at most
/// <see cref="SlotMs"/> more. Sources are disposed once every request that could hold them has ended.
/// </summary>
public sealed class SharedTimeouts : IDisposable
{
    /// <summary>Width of one slot of send times, ms: the most a request's timeout can exceed <c>client.timeoutS</c>.</summary>
    public const int SlotMs = 10;

    /// <summary>Added to every timeout so no timer fires before it by the Stopwatch; see <see cref="For"/>.</summary>
    public const int CoarseClockMarginMs = 5;

    private readonly CancellationToken _abort;
    private readonly TimeSpan _timeout;
    private readonly long _slotTicks = Stopwatch.Frequency * SlotMs / 1000;
    private readonly Queue<(CancellationTokenSource Source, long DisposableAfterTicks)> _live = new();
    private readonly Lock _lock = new();
    private Slot? _current;
    private bool _disposed;

    public SharedTimeouts(TimeSpan timeout, CancellationToken abort)
    {
        _timeout = timeout;
        _abort = abort;
    }

    /// <summary>The timeout token for a request sent at <paramref name="sendTicks"/> (a Stopwatch timestamp).</summary>
    public CancellationToken For(long sendTicks)
    {
        var index = sendTicks / _slotTicks;
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Index == index) return current.Token;
        lock (_lock)
        {
            if (_disposed) return new CancellationToken(canceled: true);
            if (_current is { } same && same.Index == index) return same.Token;
            var source = CancellationTokenSource.CreateLinkedTokenSource(_abort);
            var slotEnd = (index + 1) * _slotTicks;
            // The timer queue counts in Environment.TickCount64, a coarse clock on Linux (a few ms per step): without
            // the margin a timer fired up to a step before the timeout by the Stopwatch (seen under load in a test).
            source.CancelAfter(_timeout + Stopwatch.GetElapsedTime(sendTicks, slotEnd) + TimeSpan.FromMilliseconds(CoarseClockMarginMs));
            // A request of this slot has ended at the latest when its timeout fired and its handler unwound; a minute is ample.
            _live.Enqueue((source, slotEnd + (long)((_timeout.TotalSeconds + 60) * Stopwatch.Frequency)));
            while (_live.TryPeek(out var oldest) && oldest.DisposableAfterTicks < sendTicks) _live.Dequeue().Source.Dispose();
            var slot = new Slot(index, source.Token);
            Volatile.Write(ref _current, slot);
            return slot.Token;
        }
    }

    /// <summary>Whether the request's token is cancelled by its timeout (and not by the run's abort).</summary>
    public bool TimedOut(CancellationToken token) => token.IsCancellationRequested && !_abort.IsCancellationRequested;

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_live.TryDequeue(out var live)) live.Source.Dispose();
        }
    }

    private sealed record Slot(long Index, CancellationToken Token);
}
