using System.Globalization;

namespace Lab.Contracts;

/// <summary>Parses the connection-cap forms <c>unlimited</c>, <c>48</c> and <c>12xCPU</c> (C8).</summary>
public static class ConnectionLimits
{
    public const int MaxConnections = 1_000_000;

    /// <summary>The number of connections (int.MaxValue for unlimited), or null when the text is none of the forms.</summary>
    public static int? TryParse(string text, int processorCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return int.MaxValue;
        }

        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is >= 1 and <= MaxConnections ? n : null;
        }

        var x = t.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        if (x > 0 && t[(x + 1)..].Equals("CPU", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(t[..x], NumberStyles.None, CultureInfo.InvariantCulture, out var perCore)
            && perCore is >= 1 and <= 10_000)
        {
            return Math.Min(MaxConnections, perCore * processorCount);
        }

        return null;
    }
}
