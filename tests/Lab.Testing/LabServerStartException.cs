namespace Lab.Testing;

/// <summary>A lab-server process exited, or stayed silent, before it printed its ready line; the message carries its stderr.</summary>
public sealed class LabServerStartException : Exception
{
    public LabServerStartException(string message, int? exitCode, string standardError, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public LabServerStartException()
    {
    }

    public LabServerStartException(string message)
        : base(message)
    {
    }

    public LabServerStartException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The process's exit code, or null when it was still running (it was then stopped); 2 means it refused its arguments or settings.</summary>
    public int? ExitCode { get; }

    /// <summary>What the process wrote to stderr before it exited.</summary>
    public string StandardError { get; } = "";
}
