namespace Lab.Client.Scenarios.Schema;

/// <summary>
/// One key of a scenario section: its type, unit, range, meaning and an example. The loader validates with
/// it, <see cref="JsonSchemaWriter"/> turns it into <c>scenario.schema.json</c> and <see cref="KeyReferenceWriter"/>
/// into the key reference of <c>scenarios/README.md</c>, so the three cannot disagree.
/// </summary>
public sealed record Field(string Key, FieldType Type, string Description)
{
    public bool Required { get; init; }

    /// <summary>What applies when the key is absent, in words (shown in the reference and the schema).</summary>
    public string? Default { get; init; }

    public string? Example { get; init; }

    /// <summary>Unit of a number ("s", "ms", "requests/s"); the key's suffix says it too.</summary>
    public string? Unit { get; init; }

    public double Min { get; init; } = double.NegativeInfinity;
    public double Max { get; init; } = double.PositiveInfinity;

    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>A regular expression a text must match, and how to say it to a user.</summary>
    public string? Pattern { get; init; }
    public string? PatternText { get; init; }

    /// <summary>Longest text accepted: names become folder names, and no text reaches a report unbounded.</summary>
    public int MaxLength { get; init; } = ScenarioLimits.MaxTextLength;

    /// <summary>Most items a list or map may hold.</summary>
    public int MaxItems { get; init; } = ScenarioLimits.MaxListItems;

    /// <summary>At least this many items in a list.</summary>
    public int MinItems { get; init; }

    /// <summary>The keys of an <see cref="FieldType.Mapping"/>.</summary>
    public Section? Section { get; init; }

    /// <summary>The element of a <see cref="FieldType.List"/> or the value of a <see cref="FieldType.Map"/>.</summary>
    public Field? Item { get; init; }

    /// <summary>A list item may also be written as a plain text (checks: a string or a mapping).</summary>
    public bool ItemMayBeText { get; init; }

    /// <summary>The keys a <see cref="FieldType.Map"/> allows.</summary>
    public string? KeyPattern { get; init; }
    public string? KeyPatternText { get; init; }

    /// <summary>For <see cref="FieldType.Knobs"/>: the role whose settings it holds.</summary>
    public string? Role { get; init; }

    public bool IsNumber => Type is FieldType.Number or FieldType.WholeNumber;

    /// <summary>"a number from 0.001 to 100000", as errors and the reference say it.</summary>
    public string Expected => Type switch
    {
        FieldType.Number => $"a number{Range()}",
        FieldType.WholeNumber => $"a whole number{Range()}",
        FieldType.Choice => string.Join(", ", Choices!),
        FieldType.Flag => "true or false",
        FieldType.Text when PatternText is not null => PatternText,
        _ => "text",
    };

    private string Range() =>
        double.IsNegativeInfinity(Min) && double.IsPositiveInfinity(Max) ? ""
        : double.IsPositiveInfinity(Max) ? $" from {Format(Min)}"
        : $" from {Format(Min)} to {Format(Max)}";

    public static string Format(double v) => v >= int.MaxValue ? "∞" : v <= int.MinValue ? "-∞" : v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
