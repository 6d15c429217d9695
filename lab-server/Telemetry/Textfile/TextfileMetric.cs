using Lab.Contracts;

namespace Lab.Server.Telemetry.Textfile;

/// <summary>
/// One family of the Prometheus textfile: its name, type and help, and the field of the sampler's
/// <see cref="ServerSample"/> it is read from.
/// </summary>
/// <param name="Name">The Prometheus name; where <c>/metrics</c> has the same quantity, the same name and type.</param>
/// <param name="Type"><c>gauge</c> or <c>counter</c>.</param>
/// <param name="Help">The <c># HELP</c> text (one line, no backslash).</param>
/// <param name="Value">The value, from one sample.</param>
/// <param name="ServerOnly">Written by the server role only (the backend has no limiter and no backend).</param>
/// <param name="OnMetrics">Also served on <c>/metrics</c> under this name and type.</param>
public sealed record TextfileMetric(string Name, string Type, string Help, Func<ServerSample, double> Value, bool ServerOnly = false, bool OnMetrics = true);
