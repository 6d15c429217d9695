namespace Lab.Client.Progress;

/// <summary>Where live progress goes: a Spectre.Console table on a terminal, plain lines otherwise.</summary>
public interface IProgressSink
{
    /// <summary>Runs <paramref name="work"/> with the display active.</summary>
    Task RunAsync(Func<Task> work);

    /// <summary>Called about once a second during a variant's load.</summary>
    void Report(ProgressSnapshot s);

    /// <summary>A one-off message (variant started, server stopped, warnings).</summary>
    void Message(string text);
}
