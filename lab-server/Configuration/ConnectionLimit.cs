using System.Globalization;

namespace Lab.Server.Configuration;

/// <summary>
/// Outbound connection cap per backend (C8), the analog of ASP.NET's <c>maxconnection</c>:
/// <c>unlimited</c> (the .NET default, int.MaxValue), a number, or a per-core form such as <c>12xCPU</c>.
/// </summary>
public sealed record ConnectionLimit(string Text, int Connections)
{
    public static ConnectionLimit Unlimited { get; } = new("unlimited", int.MaxValue);

    public bool IsUnlimited => Connections == int.MaxValue;

    /// <summary>Parses <c>unlimited</c>, <c>48</c> or <c>12xCPU</c>; null when the text is none of these.</summary>
    public static ConnectionLimit? TryParse(string text, int processorCount)
    {
        var t = text.Trim();
        if (t.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return Unlimited;
        }

        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n is >= 1 and <= MaxConnections ? new ConnectionLimit(t, n) : null;
        }

        var x = t.IndexOf('x', StringComparison.OrdinalIgnoreCase);
        if (x > 0 && t[(x + 1)..].Equals("CPU", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(t[..x], NumberStyles.None, CultureInfo.InvariantCulture, out var perCore)
            && perCore is >= 1 and <= 10_000)
        {
            return new ConnectionLimit(t, Math.Min(MaxConnections, perCore * processorCount));
        }

        return null;
    }

    public const int MaxConnections = 1_000_000;
}
