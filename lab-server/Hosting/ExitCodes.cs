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

    /// <summary>Killed itself (SIGKILL, 128 + 9): a graceful shutdown stalled behind a starved thread pool.</summary>
    public const int KilledItself = 137;
}
