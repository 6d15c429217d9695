using System.Text.Json;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// One line the stack agent writes on its stdout, as JSON: <see cref="Ready"/> once it has started, then one reply per
/// request (<see cref="Warm"/> or <see cref="Snap"/>, with the threads it read), or <see cref="Error"/> with the reason.
/// The client sends the request words, one per line; closing the agent's stdin stops it.
/// </summary>
public sealed record StackAgentReply(string Kind, IReadOnlyList<ThreadFrames>? Threads = null, double? ReadMs = null, string? Message = null)
{
    public const string Ready = "ready";

    /// <summary>Load the DAC and compile the walk by reading the (stopped) process once; the threads are not sent.</summary>
    public const string Warm = "warm";

    /// <summary>Read every managed thread's stack of the (stopped) process.</summary>
    public const string Snap = "snap";

    public const string Error = "error";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToLine() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Null when the line is not a reply (the agent's runtime printing something else).</summary>
    public static StackAgentReply? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<StackAgentReply>(line, s_json) is { Kind: not null } r ? r : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
