namespace Lab.Contracts;

/// <summary>How a knob's value is written.</summary>
public enum KnobKind
{
    /// <summary>An integer between <see cref="ServerKnob.Min"/> and <see cref="ServerKnob.Max"/>.</summary>
    WholeNumber,

    /// <summary>An absolute http(s) URL.</summary>
    Url,

    /// <summary><c>unlimited</c>, a number, or a per-core form such as <c>12xCPU</c>.</summary>
    ConnectionLimit,

    /// <summary>A file path.</summary>
    FilePath,

    /// <summary>One of <see cref="ServerKnob.Choices"/>, compared without regard to case.</summary>
    Choice,
}

/// <summary>
/// One lab-server setting (section <c>Lab</c>). The table in <see cref="ServerKnobs"/> is the single
/// source of truth: the server parses its configuration with it, and the client validates scenario
/// files with it before anything runs.
/// </summary>
public sealed record ServerKnob(string Name, KnobKind Kind, int Min, int Max, string Description, bool SetByOrchestrator = false, string[]? Choices = null)
{
    /// <summary>Null when <paramref name="text"/> is a valid value; otherwise what was expected.</summary>
    public string? Check(string text, int processorCount) => Kind switch
    {
        KnobKind.WholeNumber => int.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= Min && v <= Max
            ? null
            : $"an integer from {Min} to {Max} ({Description})",
        KnobKind.Url => Uri.TryCreate(text.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? null
            : $"an absolute http:// or https:// URL ({Description})",
        KnobKind.ConnectionLimit => ConnectionLimits.TryParse(text, processorCount) is not null
            ? null
            : $"\"unlimited\", an integer from 1 to {ConnectionLimits.MaxConnections}, or a per-core form such as \"12xCPU\" ({Description})",
        KnobKind.Choice => Choices!.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : $"one of {string.Join(", ", Choices!.Select(c => $"\"{c}\""))} ({Description})",
        _ => string.IsNullOrWhiteSpace(text) ? $"a file path ({Description})" : null,
    };
}
