using System.Text.Json;
using Lab.Contracts;

namespace Lab.Server.Tests.Processes;

/// <summary>Reads a server's JSON-lines sample file while the server may still be writing it.</summary>
public static class SampleFile
{
    public static string NewPath() => Path.Combine(Path.GetTempPath(), $"lab-samples-{Guid.NewGuid():N}.jsonl");

    public static IReadOnlyList<ServerSample> Read(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var samples = new List<ServerSample>();
        while (reader.ReadLine() is { } line)
        {
            try
            {
                samples.Add(JsonSerializer.Deserialize(line, ContractsJson.Default.ServerSample)!);
            }
            catch (JsonException)
            {
                // A line still being written; the next read gets it whole.
            }
        }

        return samples;
    }
}
