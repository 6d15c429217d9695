using System.Runtime.InteropServices;

namespace Lab.Server.Hosting;

/// <summary>
/// Lets the process that started this one, and its descendants, read this process's memory where Yama's
/// <c>ptrace_scope</c> is 1 (Ubuntu's default): the lab client's stack-snapshot agent is this server's sibling, not its
/// ancestor, so without the permit only root could take a snapshot there. <c>prctl(PR_SET_PTRACER, pid)</c> names the
/// client; Yama then also admits the client's descendants. Without Yama (scope file absent) the call fails with EINVAL
/// and changes nothing, which is fine: the ordinary same-user rule applies.
/// </summary>
public static class PtracerPermit
{
    /// <summary>"Yama" in ASCII, the option's number (linux/prctl.h).</summary>
    private const int PrSetPtracer = 0x59616d61;

    /// <summary>True when Yama took the permit; false when there is no Yama or not Linux.</summary>
    public static bool Grant(int ptracerProcessId) =>
        OperatingSystem.IsLinux() && Prctl(PrSetPtracer, (nuint)ptracerProcessId, 0, 0, 0) == 0;

    // DllImport, not LibraryImport: every argument is blittable, and the server project compiles without unsafe code.
    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
