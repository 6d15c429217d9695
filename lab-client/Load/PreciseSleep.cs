using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lab.Client.Load;

/// <summary>
/// Sleeps to an absolute time on the monotonic clock, without spinning. .NET's Thread.Sleep rounds to whole
/// milliseconds, and spinning burns a core the server under test needs (measured: a spinning dispatcher cost
/// ~1.5 cores at 6,000 arrivals/s). On Linux, <c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c> is the same
/// clock as <see cref="Stopwatch"/> (nanosecond ticks), so one call sleeps to the due time whatever happened
/// since it was computed.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;

    /// <summary>Whether Stopwatch ticks are CLOCK_MONOTONIC nanoseconds, so they can be handed to the kernel as they are.</summary>
    private static readonly bool s_absolute = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000 && SameClock();

    /// <summary>Sleeps until <paramref name="untilTicks"/> (a Stopwatch timestamp); returns at once if it has passed.</summary>
    public static void Until(long untilTicks)
    {
        if (s_absolute)
        {
            var ts = new TimeSpec { Seconds = untilTicks / 1_000_000_000, Nanoseconds = untilTicks % 1_000_000_000 };
            // EINTR (a signal) just returns early: the caller decides again from the clock.
            _ = ClockNanosleep(ClockMonotonic, TimerAbsTime, ref ts, IntPtr.Zero);
            return;
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), untilTicks);
        if (remaining > TimeSpan.Zero) Thread.Sleep(remaining);
    }

    private static bool SameClock()
    {
        try
        {
            _ = ClockGettime(ClockMonotonic, out var ts);
            var kernel = ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
            // Both read now: they agree within far less than a millisecond when they are the same clock.
            return Math.Abs(Stopwatch.GetTimestamp() - kernel) < 1_000_000;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, out TimeSpec time);
}
