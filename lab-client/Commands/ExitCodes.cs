namespace Lab.Client.Commands;

/// <summary>The client's exit codes (documented in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int RunFailed = 1;
    public const int BadArguments = 2;
}
