namespace Lab.Client.Recording.Diagnostics;

/// <summary>One thread's managed stack: frames innermost first, and the index of the first frame of the application's own code (-1: none).</summary>
public sealed record ThreadFrames(IReadOnlyList<string> Frames, int FirstUserFrame);
