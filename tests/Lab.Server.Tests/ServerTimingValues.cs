using System.Globalization;

namespace Lab.Server.Tests;

/// <summary>A response's <c>Server-Timing</c> entries (name → <c>dur</c>), read the way the load client reads them: every header value, comma-separated entries.</summary>
public static class ServerTimingValues
{
    public static IReadOnlyDictionary<string, double> Of(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!response.Headers.TryGetValues("Server-Timing", out var headers))
        {
            return values;
        }

        foreach (var entry in headers.SelectMany(h => h.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var dur = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(kv => kv[0] == "dur");
            values[parts[0]] = dur is null ? double.NaN : double.Parse(dur[1], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return values;
    }
}
