namespace Lab.Client.Running;

/// <summary>A lab-server process exited or stayed silent before it was ready; the message carries its stderr.</summary>
public sealed class LabServerStartException : Exception
{
    public LabServerStartException(string message, int? exitCode, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

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

    /// <summary>The process's exit code; 2 means it rejected its arguments or settings.</summary>
    public int? ExitCode { get; }
}
