namespace Lab.Client.Running;

/// <summary>How a scenario run ended: its folder, whether it is complete, and why not.</summary>
public sealed record RunResult(string Folder, bool Complete, bool ClientLimited, IReadOnlyList<string> Reasons);
