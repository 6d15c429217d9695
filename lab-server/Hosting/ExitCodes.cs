namespace Lab.Server.Hosting;

/// <summary>How a lab-server process ends; lab-client and the tests read these.</summary>
public static class ExitCodes
{
    /// <summary>Stopped normally (SIGTERM, Ctrl+C, or its parent gone and the shutdown finished in time).</summary>
    public const int Stopped = 0;

    /// <summary>Could not start: the port is in use, or the backend was unreachable for the prewarm.</summary>
    public const int StartFailed = 1;

    /// <summary>Bad arguments or settings, including a non-loopback address that was not given on the command line.</summary>
    public const int BadArguments = 2;

    /// <summary>
    /// SIGKILL (128 + 9) while a graceful shutdown stalled behind a starved thread pool: by itself (its watchdog), or by
    /// the lab-client that started it, which does not wait for that shutdown once the telemetry files are closed.
    /// </summary>
    public const int KilledItself = 137;
}
