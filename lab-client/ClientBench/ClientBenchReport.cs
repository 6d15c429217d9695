using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Client.ClientBench;

/// <summary>
/// Everything one sitting of <c>client-bench</c> measured, as written to <c>client-bench.json</c> (and read back by
/// the same type). <see cref="Version"/> changes whenever a field's meaning does.
/// </summary>
public sealed record ClientBenchReport(
    int Version,
    DateTimeOffset StartedUtc,
    DateTimeOffset EndedUtc,
    string Machine,
    int ProcessorCount,
    string Os,
    string Runtime,
    string CommandLine,
    string ClientDll,
    string DispatcherScheduling,
    double DurationS,
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyList<ClosedRow> Closed,
    IReadOnlyList<string> Notes)
{
    public const int CurrentVersion = 1;
    public const string JsonFileName = "client-bench.json";
    public const string MarkdownFileName = "client-bench.md";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ClientBenchReport Read(string path)
    {
        var report = JsonSerializer.Deserialize<ClientBenchReport>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: empty");
        return report.Version == CurrentVersion ? report
            : throw new InvalidDataException($"{path}: client-bench format {report.Version}, this client reads {CurrentVersion}.");
    }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
