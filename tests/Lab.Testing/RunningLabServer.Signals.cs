using System.Runtime.InteropServices;

namespace Lab.Testing;

public sealed partial class RunningLabServer
{
    /// <summary>libc kill(2), for SIGTERM to one PID: Process.Kill only knows SIGKILL.</summary>
    internal static partial class Signals
    {
        private const int SigTerm = 15;

        public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static partial int Kill(int pid, int signal);
    }
}
