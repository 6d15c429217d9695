namespace Lab.Client.Recording.Diagnostics;

/// <summary>One snapshot taken: when, at which queue length, and for how long the process was suspended.</summary>
public sealed record SnapshotAttempt(long UnixMs, double? TimeS, long QueueLength, double PauseMs, int Threads);
