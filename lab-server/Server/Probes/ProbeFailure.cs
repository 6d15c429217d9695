using System.Text.Json.Serialization;

namespace Lab.Server.Server.Probes;

/// <summary>What the API under test threw, and at which step of the probe's sequence.</summary>
public sealed record ProbeFailure(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("innerType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InnerType)
{
    public static ProbeFailure Of(string step, Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return new ProbeFailure(step, ex.GetType().FullName ?? ex.GetType().Name, ex.Message, ex.InnerException?.GetType().FullName);
    }
}
