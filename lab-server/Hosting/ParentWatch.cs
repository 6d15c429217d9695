using System.Diagnostics;

namespace Lab.Server.Hosting;

/// <summary>
/// Stops this process when the process that started it is gone (killed, crashed), so not even a SIGKILLed client
/// leaves an orphan server behind. Polls every <see cref="PollIntervalMs"/> on a dedicated thread, never the pool:
/// a starved server must notice as fast as an idle one. A zombie parent (exited, not yet reaped) counts as gone,
/// and so does a new process that has taken over its PID.
/// </summary>
public sealed class ParentWatch : IDisposable
{
    public const int PollIntervalMs = 100;

    private volatile bool _disposed;

    public ParentWatch(int parentProcessId, Action onParentGone)
    {
        ArgumentNullException.ThrowIfNull(onParentGone);
        // Read now, while the parent certainly runs: the start time tells it apart from a later process with its PID.
        var identity = OperatingSystem.IsLinux() ? ProcStat.Read(parentProcessId) : null;
        new Thread(() =>
        {
            while (!_disposed)
            {
                if (IsGone(parentProcessId, identity))
                {
                    Console.Error.WriteLine($"lab-server: parent process {parentProcessId} is gone; stopping.");
                    onParentGone();
                    return;
                }

                Thread.Sleep(PollIntervalMs);
            }
        })
        { IsBackground = true, Name = "lab-parent-watch" }.Start();
    }

    public void Dispose() => _disposed = true;

    /// <summary>Whether the process first seen as <paramref name="identity"/> has exited.</summary>
    public static bool IsGone(int processId, ProcStat? identity)
    {
        if (OperatingSystem.IsLinux())
        {
            var now = ProcStat.Read(processId);
            return now is not { } stat || stat.HasExited || identity is not { } first || stat.StartTimeTicks != first.StartTimeTicks;
        }

        try
        {
            using var p = Process.GetProcessById(processId);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
