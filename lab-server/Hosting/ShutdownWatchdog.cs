using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lab.Server.Hosting;

/// <summary>
/// A starved server must still exit. The host's graceful shutdown continues on the thread pool, so
/// when every pool thread is blocked it can stall indefinitely. On SIGTERM/SIGINT this arms a
/// dedicated thread (the runtime delivers those signals on a dedicated thread too): if the process
/// is still alive after the shutdown bound plus a margin, it flushes the samples and kills itself.
/// </summary>
public sealed class ShutdownWatchdog : IDisposable
{
    private const int MarginMs = 2_000;

    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;
    private readonly int _shutdownTimeoutMs;
    private readonly Action _beforeKill;
    private int _armed;

    public ShutdownWatchdog(int shutdownTimeoutMs, Action beforeKill)
    {
        _shutdownTimeoutMs = shutdownTimeoutMs;
        _beforeKill = beforeKill;
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Arm());
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Arm());
    }

    public void Arm()
    {
        if (Interlocked.Exchange(ref _armed, 1) != 0)
        {
            return;
        }

        new Thread(() =>
        {
            Thread.Sleep(_shutdownTimeoutMs + MarginMs);
            Console.Error.WriteLine(
                $"lab-server: graceful shutdown did not finish within {_shutdownTimeoutMs + MarginMs} ms (thread pool starved?); killing the process.");
            try
            {
                _beforeKill();
            }
            finally
            {
                using var self = Process.GetCurrentProcess();
                self.Kill();
            }
        })
        { IsBackground = true, Name = "lab-shutdown-watchdog" }.Start();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
    }
}
