namespace Lab.Server.Server.Probes;

/// <summary>Where and how long the slow proxy lookup ran (C15): the thread, whether it was a pool thread, whether it was the caller during its call.</summary>
public sealed record ProxyLookup(int ThreadId, bool OnPoolThread, bool OnCallerDuringCall, double Ms);
