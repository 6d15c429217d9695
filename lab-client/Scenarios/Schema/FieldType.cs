namespace Lab.Client.Scenarios.Schema;

/// <summary>What a scenario key holds. Drives the loader's checks, the JSON Schema and the key reference alike.</summary>
public enum FieldType
{
    /// <summary>One line or paragraph of text (optionally a pattern); <c>{param}</c> placeholders are filled.</summary>
    Text,

    /// <summary>A number, or an arithmetic expression over parameters (<c>2 * rate</c>).</summary>
    Number,

    /// <summary>A whole number, or an expression over parameters that comes out whole.</summary>
    WholeNumber,

    /// <summary>One of <see cref="Field.Choices"/>.</summary>
    Choice,

    /// <summary>true or false.</summary>
    Flag,

    /// <summary>A mapping whose keys are those of <see cref="Field.Section"/>.</summary>
    Mapping,

    /// <summary>A list of <see cref="Field.Item"/>.</summary>
    List,

    /// <summary>A mapping from a key (matching <see cref="Field.KeyPattern"/>) to <see cref="Field.Item"/>.</summary>
    Map,

    /// <summary>A mapping of lab-server settings, checked against the server's own knob table.</summary>
    Knobs,

    /// <summary>A path and query on the server, starting with '/'; <c>{param}</c> placeholders are filled.</summary>
    Endpoint,

    /// <summary>A check expression: <c>left op right</c> over metrics <c>variant.group.stat</c>, parameters and numbers.</summary>
    Check,

    /// <summary>A text with <c>{variant.group.stat}</c> placeholders filled from the run and <c>{param}</c> from the parameters.</summary>
    Template,

    /// <summary>A list of load phases, each a mapping with one phase kind.</summary>
    Phases,
}
