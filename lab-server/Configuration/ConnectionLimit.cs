using Lab.Contracts;

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
    public static ConnectionLimit? TryParse(string text, int processorCount) =>
        ConnectionLimits.TryParse(text, processorCount) is { } n ? new ConnectionLimit(text.Trim(), n) : null;
}
