namespace Lab.Client.Load;

/// <summary>
/// One send, as journaled to <c>inflight.csv</c> until the request's record is written (a struct in the queue: no
/// allocation per send). Times are ms from t0, like <see cref="RequestRecord"/>.
/// </summary>
public readonly record struct InFlightEntry(string Variant, int Repetition, int Phase, long Seq, string Endpoint, double IntendedMs, double SendMs)
{
    /// <summary>The journal line: a comma in the endpoint becomes ';' (the journal is read field by field, unquoted).</summary>
    internal CsvLine AppendCsv(CsvLine line) => line
        .Append(Variant).Append(',').Append(Repetition).Append(',').Append(Phase).Append(',').Append(Seq).Append(',')
        .Append(Endpoint.Replace(',', ';')).Append(',').AppendMs(IntendedMs).Append(',').AppendMs(SendMs);
}
