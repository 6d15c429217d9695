namespace Lab.Client.Load;

/// <summary>How the dispatcher waits for its next arrival: go now, a cancellable block, or one precise sleep.</summary>
public enum WaitKind
{
    /// <summary>The arrival is due (or the dispatcher is late): send now.</summary>
    Go,

    /// <summary>A long way off: block on the stop signal until <see cref="WaitStep.UntilTicks"/>, then decide again.</summary>
    Block,

    /// <summary>Close: one absolute sleep on the monotonic clock until <see cref="WaitStep.UntilTicks"/>.</summary>
    Sleep,
}

/// <summary>One decision of <see cref="DispatchWait.Next"/>: what to do and until when (Stopwatch ticks).</summary>
public readonly record struct WaitStep(WaitKind Kind, long UntilTicks);

/// <summary>
/// The open-model dispatcher's waiting rule, a pure function of the clock so tests can check every decision.
/// Measured on the lab's 2-core VM (lab-client/README.md, "Capacity of the client"): a sleep and its wake-up cost
/// 20–35 µs of CPU each, about as much as sending the request, and the old loop slept twice per arrival below
/// 2,000/s (a 1 ms cap on every sleep) and once per arrival above. So:
/// <list type="bullet">
/// <item>one sleep per wake-up, to an absolute time (no drift from re-computing "remaining", no 1 ms cap);</item>
/// <item>no more than one wake-up per <see cref="BatchWindowUs"/>: above 1/window arrivals per second, the
/// arrivals that fall due inside one window are sent together at its end, each late by less than the window
/// (which the dispatch lag records, and latency from the intended time includes); below that rate every
/// arrival gets its own wake-up at its due time;</item>
/// <item>waits longer than <see cref="BlockAboveUs"/> block on the stop signal, so Ctrl+C is not held up by a
/// slow schedule; the last <see cref="BlockMarginUs"/> are slept precisely.</item>
/// </list>
/// Never a spin: spinning takes a core from the server under test (measured: ~1.5 cores at 6,000 arrivals/s).
/// </summary>
public static class DispatchWait
{
    /// <summary>
    /// At most one wake-up per this many microseconds. Half the smallest client-limited threshold (1 ms,
    /// Analysis/ClientLimitRule), so batching alone never makes a run client-limited; it takes the dispatcher
    /// from 8,000 wake-ups/s to 2,000 at 8,000 arrivals/s.
    /// </summary>
    public const long BatchWindowUs = 500;

    /// <summary>Waits longer than this block on the stop signal instead of sleeping.</summary>
    public const long BlockAboveUs = 20_000;

    /// <summary>How long before the wake-up time a blocking wait ends (its timer is only millisecond-precise).</summary>
    public const long BlockMarginUs = 2_000;

    /// <summary>
    /// The next step for an arrival due at <paramref name="dueTicks"/>, given the time now and when the dispatcher
    /// last woke up (Stopwatch ticks at <paramref name="frequency"/> per second).
    /// </summary>
    public static WaitStep Next(long nowTicks, long dueTicks, long lastWakeTicks, long frequency)
    {
        if (dueTicks <= nowTicks) return new WaitStep(WaitKind.Go, nowTicks);
        var wakeAt = Math.Max(dueTicks, lastWakeTicks + Ticks(BatchWindowUs, frequency));
        var remaining = wakeAt - nowTicks;
        return remaining > Ticks(BlockAboveUs, frequency)
            ? new WaitStep(WaitKind.Block, wakeAt - Ticks(BlockMarginUs, frequency))
            : new WaitStep(WaitKind.Sleep, wakeAt);
    }

    private static long Ticks(long us, long frequency) => us * frequency / 1_000_000;
}
