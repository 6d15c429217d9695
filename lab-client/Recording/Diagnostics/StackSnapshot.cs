using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Where the threads were at the worst moment of a stall: every managed thread's stack in the server, grouped by
/// identical frames, like dotnet-stack ("198 threads in HttpClient.Send ← SyncEndpoint ← …"). Written as
/// <c>stacks-&lt;variant&gt;.json</c> (the snapshot taken at the largest pool queue) and read back with this same record.
/// </summary>
public sealed record StackSnapshot
{
    public const int CurrentFormat = 1;

    /// <summary>At most this many groups are kept, largest first; the threads of the rest are counted in <see cref="OtherThreads"/>.</summary>
    public const int MaxGroups = 40;

    public int Format { get; init; } = CurrentFormat;
    public string Variant { get; init; } = "";
    public int Repetition { get; init; } = 1;
    public int ProcessId { get; init; }

    /// <summary>How the stacks were read: <c>clrmd-sigstop</c> (the process stopped with SIGSTOP, its memory read by ClrMD, then resumed).</summary>
    public string Method { get; init; } = "clrmd-sigstop";

    /// <summary>Wall clock when the process was suspended (Unix ms).</summary>
    public long UnixMs { get; init; }

    /// <summary>Seconds after the variant run's t0 (null when t0 was not known yet, e.g. during warm-up).</summary>
    public double? TimeS { get; init; }

    /// <summary>The pool's queue length in the sample that triggered the snapshot.</summary>
    public long QueueLength { get; init; }

    /// <summary>Pool threads in that sample.</summary>
    public int PoolThreads { get; init; }

    /// <summary>How long the process was stopped to read its stacks (stop, read, resume), ms.</summary>
    public double PauseMs { get; init; }

    /// <summary>Managed threads in the process (all of them, not only pool threads).</summary>
    public int Threads { get; init; }

    /// <summary>Threads in groups beyond <see cref="MaxGroups"/>.</summary>
    public int OtherThreads { get; init; }

    /// <summary>Threads with identical stacks, largest first.</summary>
    public IReadOnlyList<StackGroup> Groups { get; init; } = [];

    /// <summary>
    /// The same threads counted by <see cref="StackGroup.Headline"/>, largest first: stacks that differ only below the
    /// application's frame (one request on a new connection, another on a reused one) are one place to wait.
    /// </summary>
    public IReadOnlyList<HeadlineCount> Headlines { get; init; } = [];

    /// <summary>Every snapshot taken during the variant run (this one included), so the cost of taking them is on record.</summary>
    public IReadOnlyList<SnapshotAttempt> Attempts { get; init; } = [];

    /// <summary>Threads at the most common place (the largest <see cref="Headlines"/> entry).</summary>
    [JsonIgnore] public int Top => Headlines.Count == 0 ? 0 : Headlines[0].Count;

    /// <summary>That place's share of all managed threads.</summary>
    [JsonIgnore] public double TopShare => Threads == 0 ? double.NaN : (double)Top / Threads;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes atomically (temporary file, then rename): a reader never sees half a snapshot.</summary>
    public void Write(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, s_json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Null when there is no such file (no snapshot was taken) or it is not a snapshot of a known format.</summary>
    public static StackSnapshot? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var s = JsonSerializer.Deserialize<StackSnapshot>(File.ReadAllText(path), s_json);
            return s is { Format: CurrentFormat } ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
