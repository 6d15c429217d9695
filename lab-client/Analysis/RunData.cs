using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lab.Client.Load;
using Lab.Contracts;

namespace Lab.Client.Analysis;

/// <summary>A phase of the load profile, as a band on the time axis.</summary>
public sealed record PhaseBand(int Index, string Label, double StartS, double EndS, bool IsPause);

/// <summary>Everything recorded for one variant of a run.</summary>
public sealed record VariantData(
    string Name,
    int Index,
    string Status,
    long T0UnixMs,
    double ProfileDurationS,
    IReadOnlyList<PhaseBand> Phases,
    IReadOnlyList<RequestRecord> Requests,
    IReadOnlyList<ServerSample> Samples,
    int? ConfiguredMinThreads,
    bool ClientLimited,
    IReadOnlyList<string> ClientLimitedWhy,
    string Endpoints);

/// <summary>
/// A run folder read back from disk: run.json, requests.csv(.gz), the sample files. Everything the
/// analysis and the report use comes from here, so a run can be re-reported after the lab improves.
/// </summary>
public sealed record RunData(string Folder, JsonNode Manifest, IReadOnlyList<VariantData> Variants)
{
    public string ScenarioName => (string?)Manifest["scenario"]?["name"] ?? Path.GetFileName(Folder);

    public bool Complete => (bool?)Manifest["complete"] ?? false;

    public static RunData Load(string folder)
    {
        var manifestPath = Path.Combine(folder, "run.json");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"{folder} is not a run folder: it has no run.json.", manifestPath);
        }

        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var requests = ReadRequests(folder).GroupBy(r => r.Variant).ToDictionary(g => g.Key, g => (IReadOnlyList<RequestRecord>)g.ToList());
        var resolved = manifest["scenario"]?["resolved"]?["variants"]?.AsArray();
        var variants = new List<VariantData>();
        var runs = manifest["variants"]?.AsArray() ?? [];
        for (var i = 0; i < runs.Count; i++)
        {
            var v = runs[i]!;
            var name = (string)v["name"]!;
            var load = resolved?.FirstOrDefault(r => (string?)r?["name"] == name)?["load"];
            var phases = load?["phases"]?.AsArray().Select(p => new PhaseBand(
                (int)p!["index"]!, (string)p["label"]!, (double)p["startS"]!, (double)p["startS"]! + (double)p["durationS"]!, (string?)p["kind"] == "pause")).ToList() ?? [];
            var endpoints = string.Join(", ", resolved?.FirstOrDefault(r => (string?)r?["name"] == name)?["endpoints"]?.AsArray()
                .Select(e => (string?)e?["endpoint"]) ?? []);
            variants.Add(new VariantData(
                name,
                i,
                (string?)v["status"] ?? "unknown",
                (long?)v["t0UnixMs"] ?? 0,
                (double?)load?["durationS"] ?? 0,
                phases,
                requests.GetValueOrDefault(name) ?? [],
                ReadSamples(Path.Combine(folder, (string?)v["server"]?["samplesFile"] ?? $"samples-{name}.jsonl")),
                (int?)v["server"]?["info"]?["threadPool"]?["minWorkerThreads"],
                (bool?)v["clientLimited"] ?? false,
                v["clientLimitedWhy"]?.AsArray().Select(x => (string)x!).ToList() ?? [],
                endpoints));
        }

        return new RunData(folder, manifest, variants);
    }

    private static IEnumerable<RequestRecord> ReadRequests(string folder)
    {
        var plain = Path.Combine(folder, "requests.csv");
        var gz = plain + ".gz";
        using Stream? stream = File.Exists(plain) ? File.OpenRead(plain) : File.Exists(gz) ? new GZipStream(File.OpenRead(gz), CompressionMode.Decompress) : null;
        if (stream is null) yield break;
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            RequestRecord record;
            try
            {
                record = RequestRecord.FromCsv(line);
            }
            catch (FormatException)
            {
                continue; // a last line cut short by a killed client
            }

            yield return record;
        }
    }

    /// <summary>Reads a JSON-lines sample file, skipping a torn last line (a killed server's).</summary>
    public static IReadOnlyList<ServerSample> ReadSamples(string path)
    {
        if (!File.Exists(path)) return [];
        var samples = new List<ServerSample>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            try
            {
                if (JsonSerializer.Deserialize(line, ContractsJson.Default.ServerSample) is { } s) samples.Add(s);
            }
            catch (JsonException)
            {
                // Torn line.
            }
        }

        return samples;
    }
}
