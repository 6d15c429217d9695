using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lab.Contracts;

namespace Lab.Client.Scenarios.Schema;

/// <summary>
/// Writes <c>scenarios/scenario.schema.json</c> (JSON Schema draft-07, for editors with the YAML language server)
/// from <see cref="ScenarioSchema"/> and the server's knob table. A test keeps the committed file equal to this
/// output; <c>./run-lab.sh generate</c> rewrites it.
/// </summary>
public static class JsonSchemaWriter
{
    public const string FileName = "scenario.schema.json";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write()
    {
        var definitions = new JsonObject();
        foreach (var section in ScenarioSchema.Sections.Where(s => s != ScenarioSchema.Top))
        {
            definitions[Id(section)] = Object(section);
        }

        foreach (var phase in ScenarioSchema.Phases)
        {
            definitions[$"phase-{phase.Kind}"] = Object(phase.Parameters);
        }

        definitions["serverKnobs"] = Knobs(server: true);
        definitions["backendKnobs"] = Knobs(server: false);

        var root = Object(ScenarioSchema.Top);
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = "https://thread-starvation-lab/scenario.schema.json",
            ["title"] = "Thread-starvation lab scenario",
            ["description"] = ScenarioSchema.Top.Description + " Generated from lab-client/Scenarios/Schema/ScenarioSchema.cs by ./run-lab.sh generate: do not edit by hand.",
        };
        foreach (var (k, v) in root) schema[k] = v?.DeepClone();
        schema["definitions"] = definitions;
        return schema.ToJsonString(s_json) + "\n";
    }

    private static string Id(Section section) => section.Name.Replace(' ', '-');

    private static JsonObject Object(Section section)
    {
        var properties = new JsonObject();
        foreach (var f in section.Fields) properties[f.Key] = Property(f);
        var o = new JsonObject
        {
            ["description"] = section.Description,
            ["type"] = "object",
            ["additionalProperties"] = false,
        };
        var required = section.Fields.Where(f => f.Required).Select(f => (JsonNode?)f.Key).ToArray();
        if (required.Length > 0) o["required"] = new JsonArray(required);
        o["properties"] = properties;
        return o;
    }

    private static JsonObject Property(Field f)
    {
        var o = new JsonObject { ["description"] = Describe(f) };
        switch (f.Type)
        {
            case FieldType.Text:
            case FieldType.Check:
            case FieldType.Template:
                o["type"] = "string";
                o["minLength"] = 1;
                o["maxLength"] = f.MaxLength;
                if (f.Pattern is not null) o["pattern"] = f.Pattern;
                break;
            case FieldType.Endpoint:
                o["type"] = "string";
                o["pattern"] = "^/";
                o["maxLength"] = f.MaxLength;
                break;
            case FieldType.Number:
            case FieldType.WholeNumber:
                // A string is a parameter expression (durationS: burstS); numbers are range-checked here, expressions by validate.
                o["type"] = new JsonArray(f.Type == FieldType.Number ? "number" : "integer", "string");
                if (double.IsFinite(f.Min) && f.Min > int.MinValue) o["minimum"] = f.Min;
                if (double.IsFinite(f.Max) && f.Max < int.MaxValue) o["maximum"] = f.Max;
                break;
            case FieldType.Choice:
                o["enum"] = new JsonArray([.. f.Choices!.Select(c => (JsonNode?)c)]);
                break;
            case FieldType.Flag:
                o["type"] = "boolean";
                break;
            case FieldType.Mapping:
                o["$ref"] = $"#/definitions/{Id(f.Section!)}";
                break;
            case FieldType.Knobs:
                o["$ref"] = f.Role == "backend" ? "#/definitions/backendKnobs" : "#/definitions/serverKnobs";
                break;
            case FieldType.Phases:
                o["type"] = "array";
                o["minItems"] = f.MinItems;
                o["maxItems"] = f.MaxItems;
                o["items"] = new JsonObject
                {
                    ["oneOf"] = new JsonArray([.. ScenarioSchema.Phases.Select(p => (JsonNode?)new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = false,
                        ["required"] = new JsonArray(p.Kind),
                        ["properties"] = new JsonObject { [p.Kind] = new JsonObject { ["$ref"] = $"#/definitions/phase-{p.Kind}" } },
                    })]),
                };
                break;
            case FieldType.List:
                o["type"] = "array";
                if (f.MinItems > 0) o["minItems"] = f.MinItems;
                o["maxItems"] = f.MaxItems;
                o["items"] = f.ItemMayBeText
                    ? new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["maxLength"] = f.Item!.MaxLength }, Item(f.Item)) }
                    : Item(f.Item!);
                break;
            case FieldType.Map:
                o["type"] = "object";
                o["maxProperties"] = f.MaxItems;
                if (f.KeyPattern is not null) o["propertyNames"] = new JsonObject { ["pattern"] = f.KeyPattern };
                o["additionalProperties"] = f.Item!.Section == ScenarioSchema.Parameter
                    ? new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "number" }, Item(f.Item)) }
                    : Item(f.Item);
                break;
        }

        return o;
    }

    private static JsonObject Item(Field item) => item.Type == FieldType.Mapping
        ? new JsonObject { ["$ref"] = $"#/definitions/{Id(item.Section!)}" }
        : Property(item);

    /// <summary>The field's description with its unit, default and example, as editors show it on hover.</summary>
    public static string Describe(Field f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var text = f.Description;
        if (f.Unit is not null) text += $" Unit: {f.Unit}.";
        if (f.Default is not null) text += $" Default: {f.Default}.";
        if (f.Example is not null) text += $" Example: {f.Example}.";
        return text;
    }

    private static JsonObject Knobs(bool server)
    {
        var properties = new JsonObject();
        foreach (var k in ServerKnobs.All.Where(k => !k.SetByOrchestrator && (server || k.Roles == KnobRoles.Both)))
        {
            var p = new JsonObject { ["description"] = $"{k.Description}. Default: {k.Default}. Example: {k.Example}." };
            switch (k.Kind)
            {
                case KnobKind.WholeNumber:
                    p["type"] = new JsonArray("integer", "string");
                    p["minimum"] = k.Min;
                    p["maximum"] = k.Max;
                    break;
                case KnobKind.Choice:
                    p["enum"] = new JsonArray([.. k.Choices!.Select(c => (JsonNode?)c)]);
                    break;
                case KnobKind.ConnectionLimit:
                    p["type"] = new JsonArray("integer", "string");
                    p["pattern"] = "^(unlimited|[0-9]+|[0-9]+xCPU|\\{[A-Za-z][A-Za-z0-9]*\\}(xCPU)?)$";
                    break;
                default:
                    p["type"] = "string";
                    break;
            }

            properties[k.CamelName] = p;
        }

        return new JsonObject
        {
            ["description"] = (server ? "lab-server settings of the server role" : "lab-server settings the backend role reads")
                + " (lab-server/README.md lists them all). Whole numbers may be parameter expressions.",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
    }

    internal static string Range(Field f) =>
        !f.IsNumber ? ""
        : double.IsNegativeInfinity(f.Min) && double.IsPositiveInfinity(f.Max) ? "any"
        : f.Min <= int.MinValue && f.Max >= int.MaxValue ? "any whole number"
        : string.Create(CultureInfo.InvariantCulture, $"{Field.Format(f.Min)} – {Field.Format(f.Max)}");
}
