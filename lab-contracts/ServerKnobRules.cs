using System.Globalization;

namespace Lab.Contracts;

/// <summary>One knob value that is valid alone but not together with another.</summary>
public sealed record KnobConflict(string Knob, string Message);

/// <summary>
/// Rules across knobs, checked by the server at start and by the client when it validates a scenario, so
/// a combination the server would refuse (min threads above max, a queue without a limiter) is an error
/// naming the scenario's line before anything runs. Values are the raw texts by knob name, each already
/// valid on its own (<see cref="ServerKnob.Check"/>).
/// </summary>
public static class ServerKnobRules
{
    public static IReadOnlyList<KnobConflict> Check(IReadOnlyDictionary<string, string> values, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(values);
        string? Raw(string key) => values.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value?.Trim();
        int? Int(string key) => int.TryParse(Raw(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

        var conflicts = new List<KnobConflict>();
        var min = Int("MinWorkerThreads");
        var max = Int("MaxWorkerThreads");
        if (max is { } m && m < processorCount)
        {
            conflicts.Add(new("MaxWorkerThreads", $"MaxWorkerThreads = {m} is below the processor count, {processorCount}: ThreadPool.SetMaxThreads refuses less"));
        }

        if (min is { } lo && max is { } hi && lo > hi)
        {
            conflicts.Add(new("MinWorkerThreads", $"MinWorkerThreads = {lo} is above MaxWorkerThreads = {hi}: expected min <= max"));
        }

        if (Raw("QueueLimit") is not null && Raw("ConcurrencyLimit") is null)
        {
            conflicts.Add(new("QueueLimit", "QueueLimit is set but ConcurrencyLimit is not: the queue belongs to the concurrency limiter, set both"));
        }

        if (string.Equals(Raw("Metrics"), "off", StringComparison.OrdinalIgnoreCase) && Raw("OtlpEndpoint") is not null)
        {
            conflicts.Add(new("OtlpEndpoint", "OtlpEndpoint is set but Metrics is off: nothing would be pushed; turn metrics on or drop the endpoint"));
        }

        if (Raw("OtlpEndpoint") is null && (Raw("OtlpProtocol") ?? Raw("OtlpExportIntervalMs")) is not null)
        {
            conflicts.Add(new(Raw("OtlpProtocol") is null ? "OtlpExportIntervalMs" : "OtlpProtocol",
                "OtlpProtocol or OtlpExportIntervalMs is set but OtlpEndpoint is not: set the collector's URL too"));
        }

        var prewarm = Int("PrewarmConnections");
        var cap = Raw("MaxConnectionsPerServer") is { } c ? ConnectionLimits.TryParse(c, processorCount) : int.MaxValue;
        if (prewarm is { } p && cap is { } limit && p > limit)
        {
            conflicts.Add(new("PrewarmConnections", $"PrewarmConnections = {p} is above MaxConnectionsPerServer = {limit}"));
        }

        return conflicts;
    }
}
