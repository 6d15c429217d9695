using System.Text.Json.Serialization;
using Lab.Server.Configuration;

namespace Lab.Server.Diagnostics;

/// <summary>Answer of <c>GET /lab/info</c>: who this process is and every setting in effect.</summary>
public sealed record LabInfo(
    [property: JsonPropertyName("role")] LabRole Role,
    [property: JsonPropertyName("processId")] int ProcessId,
    [property: JsonPropertyName("startedUtc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("urls")] IReadOnlyList<string> Urls,
    [property: JsonPropertyName("settings")] LabSettings Settings,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("runtimeVersion")] string RuntimeVersion,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("processorCount")] int ProcessorCount,
    [property: JsonPropertyName("totalMemoryBytes")] long TotalMemoryBytes,
    [property: JsonPropertyName("serverGc")] bool ServerGc,
    [property: JsonPropertyName("threadPool")] ThreadPoolLimits ThreadPool,
    [property: JsonPropertyName("cpuWorkUnitsPerMs")] double? CpuWorkUnitsPerMs,
    [property: JsonPropertyName("endpoints")] IReadOnlyList<EndpointInfo> Endpoints);

public sealed record ThreadPoolLimits(
    [property: JsonPropertyName("minWorkerThreads")] int MinWorkerThreads,
    [property: JsonPropertyName("maxWorkerThreads")] int MaxWorkerThreads,
    [property: JsonPropertyName("minCompletionPortThreads")] int MinCompletionPortThreads,
    [property: JsonPropertyName("maxCompletionPortThreads")] int MaxCompletionPortThreads)
{
    public static ThreadPoolLimits Current()
    {
        System.Threading.ThreadPool.GetMinThreads(out var minW, out var minIo);
        System.Threading.ThreadPool.GetMaxThreads(out var maxW, out var maxIo);
        return new ThreadPoolLimits(minW, maxW, minIo, maxIo);
    }
}

public sealed record EndpointInfo(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("summary")] string Summary);
