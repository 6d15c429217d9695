using System.Text;
using System.Text.Json;
using Lab.Contracts;

namespace Lab.Client.Recording;

/// <summary>
/// Follows a server's JSON-lines sample file as the server writes it, for live progress. Reads only
/// complete lines; the file itself is the record and is never touched.
/// </summary>
public sealed class SampleTail(string path)
{
    private long _position;
    private readonly StringBuilder _partial = new();

    public ServerSample? Latest { get; private set; }

    public void Poll()
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _position) return;
        stream.Position = _position;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        _partial.Append(reader.ReadToEnd());
        _position = stream.Length;
        var text = _partial.ToString();
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0) return;
        foreach (var line in text[..lastNewline].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                Latest = JsonSerializer.Deserialize(line, ContractsJson.Default.ServerSample) ?? Latest;
            }
            catch (JsonException)
            {
                // A line from a crashed writer; the report will see it too and skip it.
            }
        }

        _partial.Clear().Append(text[(lastNewline + 1)..]);
    }
}
