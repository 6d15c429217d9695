namespace Lab.Client.Recording.Diagnostics;

/// <summary>The stack agent could not answer: it died, hung and was killed, or could not start. The message says which, with its pid.</summary>
public sealed class StackAgentException : Exception
{
    public StackAgentException()
    {
    }

    public StackAgentException(string message)
        : base(message)
    {
    }

    public StackAgentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
