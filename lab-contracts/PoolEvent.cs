using System.Text.Json.Serialization;

namespace Lab.Contracts;

/// <summary>
/// One thread-pool event of the runtime (provider <c>Microsoft-Windows-DotNETRuntime</c>, threading keyword), as the
/// server's event recorder (or the client's EventPipe reader, for a foreign target) writes it: one JSON object per line
/// of <c>events-&lt;variant&gt;.jsonl</c>. Times are the runtime's own, taken when the event was raised, on the same
/// clocks as <see cref="ServerSample"/> (<c>unixMs</c> for alignment with the client, <c>monoMs</c> on the sampler's
/// monotonic clock), so an injection lines up with the sample that saw the new thread.
/// </summary>
public sealed record PoolEvent
{
    /// <summary>Sequence number, 1-based and gap-free within one file (a <see cref="PoolEventKinds.Lost"/> record counts what was dropped).</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>Wall clock when the runtime raised the event (Unix ms, fractional).</summary>
    [JsonPropertyName("unixMs")] public double UnixMs { get; init; }

    /// <summary>Monotonic ms on the sampler's clock (lab-server) or the reader's (foreign target).</summary>
    [JsonPropertyName("monoMs")] public double MonoMs { get; init; }

    /// <summary>One of <see cref="PoolEventKinds"/>.</summary>
    [JsonPropertyName("event")] public string Kind { get; init; } = "";

    /// <summary>OS thread that raised it: the gate thread for starvation and cooperative-blocking adjustments, the worker itself for a start, stop or wait.</summary>
    [JsonPropertyName("osThreadId")] public long OsThreadId { get; init; }

    /// <summary>Adjustment: why, as a camelCase name of the runtime's reason (<see cref="PoolEventKinds.Reasons"/>).</summary>
    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }

    /// <summary>Adjustment: the pool's new goal of worker threads (<c>NewWorkerThreadCount</c>).</summary>
    [JsonPropertyName("threadsGoal"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ThreadsGoal { get; init; }

    /// <summary>Adjustment: completions per second since the last change (<c>AverageThroughput</c>).</summary>
    [JsonPropertyName("throughput"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Throughput { get; init; }

    /// <summary>Worker start or stop: worker threads alive after it (<c>ActiveWorkerThreadCount</c>).</summary>
    [JsonPropertyName("activeWorkers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ActiveWorkers { get; init; }

    /// <summary>Wait start: <c>monitorWait</c> (Monitor.Wait: Task.Wait, GetResult, ManualResetEventSlim) or <c>unknown</c>.</summary>
    [JsonPropertyName("waitSource"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? WaitSource { get; init; }

    /// <summary>Start or minMax: the pool's minimum and maximum of worker threads.</summary>
    [JsonPropertyName("minThreads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MinThreads { get; init; }

    [JsonPropertyName("maxThreads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaxThreads { get; init; }

    /// <summary>Start: whether pool workers' waits are recorded (<c>PoolEvents=waits</c>); without them there is no blocked-worker series.</summary>
    [JsonPropertyName("waits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Waits { get; init; }

    /// <summary>Start: the file format's version (<see cref="PoolEventKinds.FormatVersion"/>).</summary>
    [JsonPropertyName("format"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Format { get; init; }

    /// <summary>Lost: events dropped because the writer's queue was full; stop: events dropped in total.</summary>
    [JsonPropertyName("count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Count { get; init; }

    /// <summary>Stop: the name of the thread the runtime delivered the events on (an EventPipe dispatch thread, not a pool thread).</summary>
    [JsonPropertyName("dispatchThread"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DispatchThread { get; init; }

    /// <summary>Stop: callbacks that ran on a thread-pool thread (0 expected: they must stay off the pool's critical path).</summary>
    [JsonPropertyName("callbacksOnPool"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? CallbacksOnPool { get; init; }

    /// <summary>Stop: every event the runtime delivered to the listener, the ones it kept and the ones it dropped (hill climbing's samples, idle waits…).</summary>
    [JsonPropertyName("callbacks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Callbacks { get; init; }

    /// <summary>Stop: the delivered events by name (what the threading keyword costs, event by event).</summary>
    [JsonPropertyName("callbacksByEvent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, long>? CallbacksByEvent { get; init; }

    /// <summary>Stop: CPU seconds the recording's own threads used (the dispatch thread and the writer; Linux, from /proc).</summary>
    [JsonPropertyName("recorderCpuS"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? RecorderCpuS { get; init; }

    /// <summary>Stop: CPU seconds of the whole process until then, for the recorder's share.</summary>
    [JsonPropertyName("processCpuS"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ProcessCpuS { get; init; }
}
