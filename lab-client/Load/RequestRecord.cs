using System.Globalization;

namespace Lab.Client.Load;

/// <summary>
/// One scheduled request, as it happened. Times are milliseconds from the variant's load start (t0,
/// whose wall clock is in run.json), on the monotonic clock. Latency from <see cref="IntendedMs"/>
/// includes any wait the schedule imposed (no coordinated omission); from <see cref="SendMs"/> it is
/// service time only. Dropped requests have no send or end.
/// </summary>
public sealed record RequestRecord(
    string Variant,
    int Repetition,
    int Phase,
    long Seq,
    string Endpoint,
    double IntendedMs,
    double? SendMs,
    double? EndMs,
    int Status,
    Outcome Outcome,
    long Bytes)
{
    public const string CsvHeader = "variant,repetition,phase,seq,endpoint,intended_ms,send_ms,end_ms,status,outcome,bytes";

    /// <summary>From the intended send time to the end, for every request that ended (answered, timed out or failed).</summary>
    public double? LatencyMs => EndMs - IntendedMs;

    /// <summary>Got an HTTP answer (any status): only these have a latency in the percentiles; a timeout has none.</summary>
    public bool Answered => Status > 0 && EndMs is not null && Outcome is not (Outcome.Timeout or Outcome.Dropped or Outcome.Aborted or Outcome.ConnectionError);
    public double? ServiceMs => EndMs - SendMs;
    public double? LagMs => SendMs - IntendedMs;

    public string ToCsv() => new string(AppendCsv(new CsvLine()).Text);

    /// <summary>The CSV line (no newline) into a reused buffer: the recorder's way, without a string per request.</summary>
    internal CsvLine AppendCsv(CsvLine line) => line
        .Append(Variant).Append(',').Append(Repetition).Append(',').Append(Phase).Append(',').Append(Seq).Append(',')
        .Append(Quote(Endpoint)).Append(',').AppendMs(IntendedMs).Append(',').AppendMs(SendMs).Append(',').AppendMs(EndMs).Append(',')
        .Append(Status).Append(',').Append(Outcome.Name()).Append(',').Append(Bytes);

    public static RequestRecord FromCsv(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var f = Split(line);
        if (f.Count != 11) throw new FormatException($"expected 11 fields, found {f.Count}: {line}");
        static double? Opt(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
        return new RequestRecord(
            f[0],
            int.Parse(f[1], CultureInfo.InvariantCulture),
            int.Parse(f[2], CultureInfo.InvariantCulture),
            long.Parse(f[3], CultureInfo.InvariantCulture),
            f[4],
            double.Parse(f[5], CultureInfo.InvariantCulture),
            Opt(f[6]),
            Opt(f[7]),
            int.Parse(f[8], CultureInfo.InvariantCulture),
            OutcomeNames.Parse(f[9]),
            long.Parse(f[10], CultureInfo.InvariantCulture));
    }

    private static string Quote(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal)
        ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : s;

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var i = 0;
        while (i <= line.Length)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; }
                    else if (line[i] == '"') { i++; break; }
                    else sb.Append(line[i++]);
                }

                fields.Add(sb.ToString());
                i++; // the comma
            }
            else
            {
                var comma = line.IndexOf(',', i);
                if (comma < 0) comma = line.Length;
                fields.Add(line[i..comma]);
                i = comma + 1;
            }
        }

        return fields;
    }
}
