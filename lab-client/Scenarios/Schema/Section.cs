namespace Lab.Client.Scenarios.Schema;

/// <summary>A mapping of a scenario file and its keys, in the order the reference lists them.</summary>
public sealed record Section(string Name, string Description, IReadOnlyList<Field> Fields)
{
    public Field this[string key] => Fields.FirstOrDefault(f => f.Key == key)
        ?? throw new KeyNotFoundException($"section {Name} has no key {key}");

    public IEnumerable<string> Keys => Fields.Select(f => f.Key);
}

/// <summary>A load phase kind: its parameters, and which load model it belongs to.</summary>
public sealed record PhaseKind(string Kind, string Models, Section Parameters)
{
    public bool Open => Models is "open" or "both";
    public bool Closed => Models is "closed" or "both";
}
