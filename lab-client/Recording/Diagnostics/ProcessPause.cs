using System.Runtime.InteropServices;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Stops every thread of a process at once with SIGSTOP and resumes it with SIGCONT — a pause the kernel does in one step
/// and that cannot hang, unlike ptrace-attaching thread by thread (ClrMD's own suspension hung in <c>waitpid</c> here while
/// the server's threads were exiting, leaving the server stopped). The caller resumes in a <c>finally</c>.
/// </summary>
public static partial class ProcessPause
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>False when the process is gone or not this user's to signal (then nothing was stopped).</summary>
    public static bool Stop(int pid) => OperatingSystem.IsLinux() && Kill(pid, SigStop) == 0;

    public static void Resume(int pid)
    {
        if (OperatingSystem.IsLinux()) _ = Kill(pid, SigCont);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
