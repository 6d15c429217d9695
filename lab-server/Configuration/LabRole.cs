namespace Lab.Server.Configuration;

/// <summary>Which half of the experiment this process plays.</summary>
public enum LabRole
{
    /// <summary>The slow dependency: answers after a delay with <c>await Task.Delay</c>, holding no thread.</summary>
    Backend,

    /// <summary>The system under test: the same backend call in sync, sync-over-async, async and APM styles.</summary>
    Server,
}
