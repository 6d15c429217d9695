namespace Lab.Server.Server.Probes;

/// <summary>
/// One <c>Server-Timing</c> entry a probe reports: its name, whether <c>dur</c> is milliseconds or a yes/no fact
/// (<c>dur=1</c> yes, <c>dur=0</c> no), and what it measures. Written once in <see cref="ProbeMetrics"/>; the
/// probes, the README table and the tests all read it from there.
/// </summary>
public sealed record ProbeMetric(string Probe, string Name, bool IsYesNo, string Meaning);
