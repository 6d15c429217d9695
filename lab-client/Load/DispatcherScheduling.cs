using System.Globalization;
using System.Runtime.InteropServices;

namespace Lab.Client.Load;

/// <summary>
/// How the kernel schedules the dispatcher thread. The dispatcher sleeps most of the time and works about 0.1 ms per
/// arrival at 600/s (its wake-up and the send's synchronous part: /proc/…/task/…/schedstat gave 171–198 ms on the CPU
/// for 1,800 arrivals, against /fast and through a limiter alike), and it waited about as long again for a CPU, over
/// a thousand times preempted, while the machine was 45 % idle; what makes it late is waking on a core where another
/// thread (the server's, another process's) is running and not being let on until that thread's slice or the next
/// 4 ms tick ends. Measured with a sleep loop at
/// 2,000 wake-ups/s against three busy loops on the 2 cores: lateness p99 2.1–4.6 ms as is; 0.08–0.25 ms at nice −2
/// to −10; 0.14–1.6 ms with only a 0.1 ms slice. So the dispatcher thread (never the others) asks for:
/// <list type="bullet">
/// <item>a 0.1 ms scheduler slice (<c>sched_setattr</c>, Linux 6.12+; allowed to any process): a short slice lets a
/// waking thread preempt the running one, without more CPU share;</item>
/// <item>nice <see cref="Nice"/>, where the process may raise priority (root or CAP_SYS_NICE): the measuring
/// instrument goes first for its few microseconds per arrival; the server still has every other cycle;</item>
/// <item>1 µs of timer slack instead of 50 µs (prctl PR_SET_TIMERSLACK), so its sleeps end when asked.</item>
/// </list>
/// Each is best effort: what was applied is reported, what was refused changes nothing else. Linux hands a thread's
/// nice and slice to the threads it creates; the dispatcher creates none of its own, though a thread-pool worker the
/// runtime happens to start from it (rare: the client's answers run on the socket threads, its pool is idle) would
/// inherit them.
/// </summary>
public static partial class DispatcherScheduling
{
    public const int Nice = -5;
    public const ulong SliceNs = 100_000;
    private const int PrSetTimerSlack = 29;
    private const int PrioProcess = 0;

    /// <summary>Applies all three to the calling thread; returns what took effect, e.g. "nice -5, 0.1 ms slice, 1 µs timer slack".</summary>
    public static string ApplyToCurrentThread()
    {
        if (!OperatingSystem.IsLinux()) return "the platform's defaults (not Linux)";
        var applied = new List<string>();
        var tid = GetTid();
        if (SchedSetattrNumber() is { } syscall)
        {
            var attr = new SchedAttr { Size = (uint)Marshal.SizeOf<SchedAttr>(), Policy = 0, Nice = CurrentNice(tid), Runtime = SliceNs };
            if (Syscall(syscall, tid, ref attr, 0) == 0) applied.Add(string.Create(CultureInfo.InvariantCulture, $"{SliceNs / 1e6:0.#} ms slice"));
        }

        if (SetPriority(PrioProcess, tid, Nice) == 0) applied.Insert(0, string.Create(CultureInfo.InvariantCulture, $"nice {Nice}"));
        if (Prctl(PrSetTimerSlack, 1_000, 0, 0, 0) == 0) applied.Add("1 µs timer slack");
        return applied.Count == 0 ? "the kernel's defaults (nothing was allowed)" : string.Join(", ", applied);
    }

    /// <summary>What <see cref="ApplyToCurrentThread"/> would get here, tried on a throwaway thread (for reports).</summary>
    public static string Probe()
    {
        var result = "";
        var thread = new Thread(() => result = ApplyToCurrentThread()) { IsBackground = true, Name = "lab-scheduling-probe" };
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>The nice value of a thread (by its kernel id), or of the calling thread.</summary>
    internal static int CurrentNice(int? tid = null) => GetPriority(PrioProcess, tid ?? GetTid());

    private static long? SchedSetattrNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 314,
        Architecture.Arm64 => 274,
        _ => null,
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
        public uint UtilMin;
        public uint UtilMax;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    internal static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int tid, ref SchedAttr attr, uint flags);

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
