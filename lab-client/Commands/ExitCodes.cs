namespace Lab.Client.Commands;

/// <summary>The client's exit codes (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Every run complete and every check passed.</summary>
    public const int Ok = 0;

    /// <summary>A run is incomplete or failed (interrupted, a server crashed or refused its settings).</summary>
    public const int RunFailed = 1;

    /// <summary>Bad arguments or an invalid scenario file: nothing ran.</summary>
    public const int BadArguments = 2;

    /// <summary>The runs completed, but at least one check failed.</summary>
    public const int ChecksFailed = 3;
}
