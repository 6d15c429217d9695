using System.Globalization;

namespace Lab.Client.Load;

/// <summary>
/// One metric of a response's standard <c>Server-Timing</c> header (<c>begin;dur=0.21, complete;dur=1502</c>):
/// what the server measured about the request itself. The lab records every one of them next to the request,
/// so a scenario can check what any server reports this way, not only lab-server.
/// </summary>
public readonly record struct ServerTiming(string Name, double DurationMs)
{
    public const int MaxPerResponse = 16;

    /// <summary>
    /// Parses header values (one header may hold several metrics separated by commas). Keeps metrics whose name is
    /// a simple identifier and that carry a <c>dur</c>; at most <see cref="MaxPerResponse"/>.
    /// </summary>
    public static List<ServerTiming> Parse(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var timings = new List<ServerTiming>();
        foreach (var metric in values.SelectMany(v => v.Split(',')))
        {
            var parts = metric.Split(';');
            var name = parts[0].Trim();
            if (name.Length is 0 or > 40 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            foreach (var p in parts.Skip(1))
            {
                var kv = p.Split('=', 2);
                if (kv.Length == 2 && kv[0].Trim().Equals("dur", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(kv[1].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var dur) && double.IsFinite(dur))
                {
                    timings.Add(new ServerTiming(name, dur));
                    break;
                }
            }

            if (timings.Count == MaxPerResponse) break;
        }

        return timings;
    }
}
