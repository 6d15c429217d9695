using System.Diagnostics;

namespace Lab.Server.Hosting;

/// <summary>
/// Stops this process when the process that started it is gone (killed, crashed), so not even a
/// SIGKILLed client leaves an orphan server behind. Polls on a dedicated thread, never the pool.
/// </summary>
public sealed class ParentWatch : IDisposable
{
    private readonly ManualResetEventSlim _stop = new();

    public ParentWatch(int parentProcessId, Action onParentGone)
    {
        new Thread(() =>
        {
            while (!_stop.Wait(500))
            {
                if (!IsAlive(parentProcessId))
                {
                    Console.Error.WriteLine($"lab-server: parent process {parentProcessId} is gone; stopping.");
                    onParentGone();
                    return;
                }
            }
        })
        { IsBackground = true, Name = "lab-parent-watch" }.Start();
    }

    public void Dispose()
    {
        _stop.Set();
        _stop.Dispose();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
