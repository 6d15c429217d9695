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

/// <summary>Which lab-server role reads a knob.</summary>
public enum KnobRoles
{
    Both,
    Server,
}

/// <summary>
/// One lab-server setting (section <c>Lab</c>). The table in <see cref="ServerKnobs"/> is the single
/// source of truth: the server parses its configuration with it and prints it as <c>--help</c>, the client
/// validates scenario files with it, and the scenario JSON Schema and the READMEs' knob lists are
/// generated from it (tests keep them in step).
/// </summary>
/// <param name="Name">The configuration key, e.g. <c>MinWorkerThreads</c> (scenarios write it camelCase).</param>
/// <param name="Kind">How the value is written.</param>
/// <param name="Min">Smallest value of a whole number.</param>
/// <param name="Max">Largest value of a whole number.</param>
/// <param name="Description">What it does, in a phrase.</param>
/// <param name="Default">What applies when it is not set, in words ("processor count", "off", "1000").</param>
/// <param name="Example">A value a user might write.</param>
/// <param name="Unit">Unit of a whole number ("ms", "threads"), or null.</param>
/// <param name="Roles">Which role reads it.</param>
/// <param name="SetByOrchestrator">The client sets it for every process it starts; scenarios may not.</param>
/// <param name="Choices">The allowed values of a <see cref="KnobKind.Choice"/>.</param>
public sealed record ServerKnob(
    string Name,
    KnobKind Kind,
    int Min,
    int Max,
    string Description,
    string Default,
    string Example,
    string? Unit = null,
    KnobRoles Roles = KnobRoles.Server,
    bool SetByOrchestrator = false,
    string[]? Choices = null)
{
    /// <summary>The key as scenario files write it: <c>minWorkerThreads</c>.</summary>
    public string CamelName => char.ToLowerInvariant(Name[0]) + Name[1..];

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
