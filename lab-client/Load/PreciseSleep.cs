using System.Runtime.InteropServices;

namespace Lab.Client.Load;

/// <summary>
/// Sub-millisecond sleeps. .NET's Thread.Sleep rounds to whole milliseconds (~1.06 ms on Linux), and
/// spinning instead burns a core the server under test needs (measured: a spinning dispatcher cost
/// ~1.5 cores at 6,000 arrivals/s). On Linux, usleep(2) wakes within tens of microseconds without spinning.
/// </summary>
internal static partial class PreciseSleep
{
    public static void Microseconds(int us)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = USleep((uint)Math.Max(1, us));
        }
        else if (us >= 1000)
        {
            Thread.Sleep(us / 1000);
        }
        else
        {
            Thread.Yield();
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);
}
