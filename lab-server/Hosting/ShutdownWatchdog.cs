using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lab.Server.Hosting;

/// <summary>
/// A starved server must still exit. The host's graceful shutdown continues on the thread pool, so when every
/// pool thread is blocked it can stall indefinitely. SIGTERM/SIGINT, which the runtime delivers on a dedicated
/// thread, first close the telemetry (the last sample, the pool events' stop record, the files closed), so a process
/// killed from then on loses nothing a run reads, and then arm the deadline; <see cref="ParentWatch"/> arms it too.
/// Once armed, a dedicated thread waits for the deadline; if the process is still alive then, it closes the telemetry
/// (if not done yet) and kills itself. Nothing on these paths needs the pool.
/// </summary>
public sealed class ShutdownWatchdog : IDisposable
{
    /// <summary>After SIGTERM: the host's own shutdown bound plus this margin.</summary>
    public const int MarginMs = 2_000;

    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;
    private readonly Action _closeTelemetry;
    private readonly object _gate = new();
    private long _deadline = long.MaxValue;
    private string _reason = "";
    private bool _started;

    /// <param name="shutdownTimeoutMs">The host's graceful shutdown bound; the deadline after a signal is this plus <see cref="MarginMs"/>.</param>
    /// <param name="closeTelemetry">Completes and closes the sample and event files; called more than once, it must do its work once.</param>
    public ShutdownWatchdog(int shutdownTimeoutMs, Action closeTelemetry)
    {
        _closeTelemetry = closeTelemetry;
        var bound = TimeSpan.FromMilliseconds(shutdownTimeoutMs + MarginMs);
        var reason = $"graceful shutdown did not finish within {bound.TotalMilliseconds:0} ms (thread pool starved?)";
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => OnStopSignal(bound, reason));
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => OnStopSignal(bound, reason));
    }

    private void OnStopSignal(TimeSpan bound, string reason)
    {
        // Armed first, so the deadline holds even if closing the files were to stall.
        Arm(bound, reason);
        _closeTelemetry();
    }

    /// <summary>Kills the process <paramref name="within"/> from now unless it has exited; an earlier deadline already set stands.</summary>
    public void Arm(TimeSpan within, string reason)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            if (deadline >= _deadline)
            {
                return;
            }

            _deadline = deadline;
            _reason = reason;
            if (_started)
            {
                Monitor.PulseAll(_gate);
                return;
            }

            _started = true;
        }

        new Thread(Run) { IsBackground = true, Name = "lab-shutdown-watchdog" }.Start();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
    }

    private void Run()
    {
        string reason;
        lock (_gate)
        {
            while (true)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline);
                if (left <= TimeSpan.Zero)
                {
                    reason = _reason;
                    break;
                }

                // Woken early when a nearer deadline is set.
                Monitor.Wait(_gate, left);
            }
        }

        Console.Error.WriteLine($"lab-server: {reason}; killing the process.");
        try
        {
            _closeTelemetry();
        }
        finally
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
