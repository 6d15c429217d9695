using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lab.Client.Scenarios.Schema;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary>The YAML itself: limits checked before the tree is built, any parser failure as an error, and small typed readers over the tree.</summary>
public sealed partial class ScenarioLoader
{
    /// <summary>The root mapping, or null with the reason recorded.</summary>
    private YamlMappingNode? Document(string text)
    {
        // The limit is in UTF-8 bytes, as Load measures the file: a text of fewer characters can still be over it.
        var bytes = text.Length > ScenarioLimits.MaxFileBytes ? (long)text.Length : Encoding.UTF8.GetByteCount(text);
        if (bytes > ScenarioLimits.MaxFileBytes)
        {
            var found = text.Length > ScenarioLimits.MaxFileBytes ? $"more than {ScenarioLimits.MaxFileBytes:N0} bytes" : $"{bytes:N0} bytes";
            Error(1, 1, "(file)", found, $"a scenario of at most {ScenarioLimits.MaxFileBytes:N0} bytes (a scenario is a few kilobytes)");
            return null;
        }

        // Walk the events first, without recursion: a file nested a hundred thousand levels deep must be an
        // error here, not a stack overflow in the tree builder. The walk keeps the field path and the open flow
        // collections, so a parser failure can still name where it happened.
        var path = new YamlPathTracker();
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                path.Observe(parser.Current!);
                if (path.Depth > ScenarioLimits.MaxDepth)
                {
                    var at = parser.Current!.Start;
                    Error((int)at.Line, (int)at.Column, "(file)", $"mappings and lists nested more than {ScenarioLimits.MaxDepth} deep",
                        $"at most {ScenarioLimits.MaxDepth} levels (a scenario needs about 5)");
                    return null;
                }
            }
        }
        catch (YamlException ex)
        {
            Error((int)ex.Start.Line, (int)ex.Start.Column, path.Path ?? "(file)", "text that is not valid YAML", $"valid YAML ({ex.InnerException?.Message ?? ex.Message})");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws plain exceptions, without a position, on some broken input (an unclosed
            // flow mapping followed by more lines): name the collection left open, or the last place that parsed.
            if (path.OpenFlow is { } open)
            {
                Error((int)open.Start.Line, (int)open.Start.Column, open.Path, $"a {(open.IsMapping ? "'{'" : "'['")} that is never closed",
                    $"a closing {(open.IsMapping ? "'}'" : "']'")} on the same or a later line, before the next key");
            }
            else
            {
                Error((int)path.Last.Line, (int)path.Last.Column, path.Path ?? "(file)", "text after this point that is not valid YAML", "valid YAML");
            }

            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            Error((int)ex.Start.Line, (int)ex.Start.Column, "(file)", "text that is not valid YAML", $"valid YAML ({ex.InnerException?.Message ?? ex.Message})");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // The event walk above parsed the same text, so this is not reached in practice; kept as a last guard.
            Error(1, 1, "(file)", "text that is not valid YAML", $"valid YAML ({ex.Message})");
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            Error(1, 1, "(file)", "no mapping at the top", "one YAML document with keys name, description, load, variants, …");
            return null;
        }

        return root;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>The text of a mapping key; a key that is a list or mapping (<c>? [a, b]</c>) is an error.</summary>
    private string? KeyText(YamlNode key, string path)
    {
        if (key is YamlScalarNode { Value: { } v }) return v;
        Error(key, path, $"a key that is {Found(key)}", "a plain key such as name");
        return null;
    }

    /// <summary>Every key of <paramref name="map"/> must be one of <paramref name="section"/>'s.</summary>
    private void Keys(YamlMappingNode map, string path, Section section) => Keys(map, path, [.. section.Keys]);

    private void Keys(YamlMappingNode map, string path, IReadOnlyList<string> known)
    {
        foreach (var key in map.Children.Keys)
        {
            if (KeyText(key, path) is not { } name) continue;
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Error(key, Join(path, name), $"unknown key \"{Clip(name)}\"", $"one of {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>A required or optional text, trimmed, bounded, parameters filled, pattern checked.</summary>
    private string? Text(YamlMappingNode map, Field field, string path)
    {
        if (Child(map, field.Key) is not { } node)
        {
            return field.Required ? Missing(map, Join(path, field.Key), "a value") : null;
        }

        return Scalar(node, field, Join(path, field.Key));
    }

    /// <summary>A scalar checked against a text field: length, {param} placeholders, pattern.</summary>
    private string? Scalar(YamlNode node, Field field, string path)
    {
        if (node is not YamlScalarNode { Value: { } raw } || string.IsNullOrWhiteSpace(raw))
        {
            Error(node, path, Found(node), field.PatternText ?? "text");
            return null;
        }

        // Folded block scalars (>) end with a newline; texts are used inline.
        var v = raw.Trim();
        if (v.Length > field.MaxLength)
        {
            Error(node, path, $"{v.Length:N0} characters", $"at most {field.MaxLength:N0}");
            return null;
        }

        if (Substitute(node, path, v, field.Type == FieldType.Template) is not { } filled) return null;
        if (field.Pattern is null || Regex.IsMatch(filled, field.Pattern)) return filled;
        Error(node, path, $"\"{Clip(filled)}\"", field.PatternText!);
        return null;
    }

    private string? Choice(YamlMappingNode map, Field field, string path)
    {
        if (Child(map, field.Key) is not { } node)
        {
            return field.Required ? Missing(map, Join(path, field.Key), $"one of {field.Expected}") : null;
        }

        if (node is YamlScalarNode { Value: { } v } && field.Choices!.Contains(v.Trim(), StringComparer.Ordinal)) return v.Trim();
        Error(node, Join(path, field.Key), Found(node), field.Key == "model"
            ? "open (arrivals on a schedule, whatever the server does) or closed (N users, each waiting for its answer)"
            : field.Key == "chart" ? $"a chart of the report: {field.Expected} or outcomes-<variant>" : $"{field.Expected}");
        return null;
    }

    /// <summary>
    /// A number field: a number, or an arithmetic expression over the parameters (<c>burstS</c>,
    /// <c>2 * ratePerS</c>); then range and wholeness.
    /// </summary>
    private double? Number(YamlMappingNode map, Field field, string path)
    {
        if (Child(map, field.Key) is not { } node)
        {
            if (field.Required) Missing(map, Join(path, field.Key), field.Type == FieldType.WholeNumber ? "a whole number" : "a number");
            return null;
        }

        return Number(node, field, Join(path, field.Key));
    }

    private double? Number(YamlNode node, Field field, string path)
    {
        if (node is not YamlScalarNode { Value: { } v } || string.IsNullOrWhiteSpace(v))
        {
            Error(node, path, Found(node), field.Expected);
            return null;
        }

        var text = v.Trim();
        string? via = null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            if (Evaluate(node, path, text, field) is not { } value) return null;
            n = value;
            via = $" (from {Clip(text)})";
        }

        if (!double.IsFinite(n) || n < field.Min || n > field.Max || (field.Type == FieldType.WholeNumber && n != Math.Floor(n)))
        {
            Error(node, path, via is null ? $"\"{Clip(text)}\"" : $"{Fmt(n)}{via}", field.Expected);
            return null;
        }

        return n;
    }

    private bool? Flag(YamlMappingNode map, Field field, string path)
    {
        if (Child(map, field.Key) is not { } node) return null;
        if (node is YamlScalarNode { Value: "true" or "false" } s) return s.Value == "true";
        Error(node, Join(path, field.Key), Found(node), "true or false");
        return null;
    }

    /// <summary>A list's size within the field's bounds.</summary>
    private bool Count(YamlSequenceNode list, Field field, string path)
    {
        if (list.Children.Count < field.MinItems)
        {
            Error(list, path, list.Children.Count == 0 ? "an empty list" : $"{list.Children.Count} items", $"a non-empty list (at least {field.MinItems})");
            return false;
        }

        if (list.Children.Count > field.MaxItems)
        {
            Error(list, path, $"{list.Children.Count} items", $"at most {field.MaxItems}");
            return false;
        }

        return true;
    }

    private T? Invalid<T>(YamlNode node, string path, string found, string expected)
        where T : class
    {
        Error(node, path, found, expected);
        return null;
    }

    private string? Missing(YamlNode parent, string path, string expected)
    {
        Error(parent, path, "nothing", expected);
        return null;
    }

    private bool Error(YamlNode node, string path, string found, string expected) =>
        Error((int)node.Start.Line, (int)node.Start.Column, path, found, expected);

    private bool Error(int line, int column, string path, string found, string expected)
    {
        if (_errors.Count >= ScenarioLimits.MaxErrors)
        {
            _suppressed++;
            return true;
        }

        _errors.Add(new ScenarioError(_file, line, column, string.IsNullOrEmpty(path) ? "(top level)" : path, $"found {found}; expected {expected}"));
        return true;
    }

    private static string Found(YamlNode node) => node switch
    {
        YamlScalarNode { Value: var v } => $"\"{Clip(v ?? "")}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    /// <summary>Values quoted in errors are cut short: a 50 MB value is not echoed back.</summary>
    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + $"… ({s.Length:N0} characters)";

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Fmt(double v) => Field.Format(v);
}
