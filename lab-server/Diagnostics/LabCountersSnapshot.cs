using System.Text.Json.Serialization;
using Lab.Server.Telemetry;

namespace Lab.Server.Diagnostics;

/// <summary>Answer of <c>GET /lab/counters</c>: the cumulative counters right now.</summary>
public sealed record LabCountersSnapshot(
    [property: JsonPropertyName("activeRequests")] long ActiveRequests,
    [property: JsonPropertyName("rejectedRequests")] long RejectedRequests,
    [property: JsonPropertyName("timedOutRequests")] long TimedOutRequests,
    [property: JsonPropertyName("backendCalls")] long BackendCalls,
    [property: JsonPropertyName("backendCallsActive")] long BackendCallsActive,
    [property: JsonPropertyName("backendCallsCancelled")] long BackendCallsCancelled,
    [property: JsonPropertyName("leakedResponses")] long LeakedResponses,
    [property: JsonPropertyName("openConnections")] long OpenConnections,
    [property: JsonPropertyName("delaysStarted")] long DelaysStarted,
    [property: JsonPropertyName("delaysCompleted")] long DelaysCompleted,
    [property: JsonPropertyName("delaysCancelled")] long DelaysCancelled)
{
    public static LabCountersSnapshot Of(LabCounters c) => new(
        c.ActiveRequests, c.RejectedRequests, c.TimedOutRequests, c.BackendCalls, c.BackendActive,
        c.BackendCallsCancelled, c.LeakedResponses, c.OpenConnections, c.BackendStarted, c.BackendCompleted, c.BackendCancelled);
}
