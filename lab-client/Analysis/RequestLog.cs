using System.Collections;
using System.Globalization;
using System.IO.Compression;
using Lab.Client.Load;

namespace Lab.Client.Analysis;

/// <summary>
/// Streams a run's <c>requests.csv</c> (or <c>.csv.gz</c>) one record at a time, so no report ever holds a run's
/// requests in memory. When the client was killed mid-run, <c>inflight.csv</c> still lists the requests it had
/// sent and not yet recorded: those come back as <see cref="Outcome.Aborted"/> (in flight when the run ended)
/// instead of vanishing from the record.
/// </summary>
public static class RequestLog
{
    public const string FileName = "requests.csv";
    public const string InFlightFileName = "inflight.csv";
    public const string InFlightHeader = "variant,repetition,phase,seq,endpoint,intended_ms,send_ms";
    public const string ServerTimingFileName = "server-timing.csv";
    public const string ServerTimingHeader = "variant,repetition,seq,name,dur_ms";

    /// <summary>Every <c>Server-Timing</c> metric recorded for one variant run: name and duration (ms).</summary>
    public static IEnumerable<(string Name, double DurationMs)> ReadServerTimings(string folder, string variant, int repetition)
    {
        var path = Path.Combine(folder, ServerTimingFileName);
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        var prefix = $"{variant},{repetition.ToString(CultureInfo.InvariantCulture)},";
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var f = line.Split(',');
            if (f.Length == 5 && double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var dur)) yield return (f[3], dur);
        }
    }

    /// <summary>Every record of one variant run (or of all runs when <paramref name="variant"/> is null).</summary>
    public static IEnumerable<RequestRecord> Read(string folder, string? variant = null, int repetition = 0)
    {
        var plain = Path.Combine(folder, FileName);
        var gz = plain + ".gz";
        var finished = new Dictionary<(string, int), BitArray>();
        var prefix = variant is null ? null : variant + ",";
        using (Stream? stream = File.Exists(plain) ? new FileStream(plain, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
            : File.Exists(gz) ? new GZipStream(File.OpenRead(gz), CompressionMode.Decompress) : null)
        {
            if (stream is null) yield break;
            using var reader = new StreamReader(stream);
            _ = reader.ReadLine(); // header
            while (reader.ReadLine() is { } line)
            {
                if (prefix is not null && !line.StartsWith(prefix, StringComparison.Ordinal)) continue;
                RequestRecord record;
                try
                {
                    record = RequestRecord.FromCsv(line);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    continue; // a last line cut short by a killed client
                }

                if (repetition > 0 && record.Repetition != repetition) continue;
                Mark(finished, record.Variant, record.Repetition, record.Seq);
                yield return record;
            }
        }

        foreach (var pending in Unfinished(folder, finished, variant, repetition)) yield return pending;
    }

    private static void Mark(Dictionary<(string, int), BitArray> finished, string variant, int repetition, long seq)
    {
        if (seq is < 0 or > int.MaxValue) return;
        if (!finished.TryGetValue((variant, repetition), out var bits))
        {
            bits = new BitArray(1024);
            finished[(variant, repetition)] = bits;
        }

        if (seq >= bits.Length) bits.Length = (int)Math.Min(int.MaxValue, Math.Max(seq + 1, (long)bits.Length * 2));
        bits[(int)seq] = true;
    }

    /// <summary>Requests the in-flight journal has and requests.csv does not: sent, never recorded as ended.</summary>
    private static IEnumerable<RequestRecord> Unfinished(string folder, Dictionary<(string, int), BitArray> finished, string? variant, int repetition)
    {
        var path = Path.Combine(folder, InFlightFileName);
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            if (f.Length != 7) continue;
            if (!int.TryParse(f[1], CultureInfo.InvariantCulture, out var rep) || !int.TryParse(f[2], CultureInfo.InvariantCulture, out var phase)
                || !long.TryParse(f[3], CultureInfo.InvariantCulture, out var seq)
                || !double.TryParse(f[5], CultureInfo.InvariantCulture, out var intended) || !double.TryParse(f[6], CultureInfo.InvariantCulture, out var send))
            {
                continue;
            }

            if ((variant is not null && f[0] != variant) || (repetition > 0 && rep != repetition)) continue;
            if (finished.TryGetValue((f[0], rep), out var bits) && seq < bits.Length && bits[(int)seq]) continue;
            yield return new RequestRecord(f[0], rep, phase, seq, f[4], intended, send, null, 0, Outcome.Aborted, 0);
        }
    }
}
