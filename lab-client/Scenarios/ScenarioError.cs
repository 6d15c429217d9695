namespace Lab.Client.Scenarios;

/// <summary>
/// One problem in a scenario file: where (file, line, column, field path) and what (found, expected). Line 0 is
/// <see cref="NoPosition"/>: about the whole file (the count of errors not listed), printed without a position.
/// </summary>
public sealed record ScenarioError(string File, int Line, int Column, string Path, string Message)
{
    public const int NoPosition = 0;

    public override string ToString() => Line == NoPosition ? $"{File}: {Path}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}

/// <summary>A scenario file (or several) that did not validate; the message lists every error.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public ScenarioException()
        : this([])
    {
    }

    public ScenarioException(string message)
        : base(message) => Errors = [];

    public ScenarioException(string message, Exception inner)
        : base(message, inner) => Errors = [];

    public IReadOnlyList<ScenarioError> Errors { get; }
}
