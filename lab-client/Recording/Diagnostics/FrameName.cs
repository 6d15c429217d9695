using System.Text;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// A stack frame as a reader would write it: <c>Namespace.Type.Method</c>, without generic arguments and without the
/// compiler's names for lambdas, local functions and async state machines — <c>ServerEndpoints+&lt;&gt;c__DisplayClass5_0.&lt;SyncOverAsync&gt;b__0</c>
/// becomes <c>ServerEndpoints.SyncOverAsync</c>, <c>Monitor.&lt;Wait&gt;g____PInvoke|24_0</c> becomes <c>Monitor.Wait</c>,
/// <c>BackendClient+&lt;GetAsync&gt;d__7.MoveNext</c> becomes <c>BackendClient.GetAsync</c>.
/// </summary>
public static class FrameName
{
    public static string Clean(string? typeName, string? methodName)
    {
        var type = typeName ?? "?";
        var method = methodName ?? "?";
        // Nested compiler types: Outer+<>c__DisplayClass5_0 (lambdas' closures) and Outer+<Name>d__7 (async state machines).
        var compiler = type.IndexOf("+<", StringComparison.Ordinal);
        if (compiler >= 0)
        {
            if (Inner(type[(compiler + 1)..]) is { Length: > 0 } stateMachineOf && method == "MoveNext") method = stateMachineOf;
            type = type[..compiler];
        }

        if (method.StartsWith('<') && Inner(method) is { Length: > 0 } named) method = named;
        return $"{StripGenerics(type).Replace('+', '.')}.{StripGenerics(method)}";
    }

    /// <summary><c>&lt;SyncOverAsync&gt;b__0</c> → <c>SyncOverAsync</c>; null when there is no name between the brackets.</summary>
    private static string? Inner(string name)
    {
        var close = name.IndexOf('>', StringComparison.Ordinal);
        return close > 1 ? name[1..close] : null;
    }

    /// <summary><c>TaskAwaiter&lt;System.__Canon&gt;</c> or <c>List`1[[...]]</c> → <c>TaskAwaiter</c>, <c>List</c>.</summary>
    private static string StripGenerics(string name)
    {
        var sb = new StringBuilder(name.Length);
        var depth = 0;
        foreach (var ch in name)
        {
            if (ch is '<' or '[') depth++;
            else if (ch is '>' or ']') depth = Math.Max(0, depth - 1);
            else if (depth == 0) sb.Append(ch);
        }

        var text = sb.ToString();
        var tick = text.IndexOf('`', StringComparison.Ordinal);
        while (tick >= 0)
        {
            var end = tick + 1;
            while (end < text.Length && char.IsDigit(text[end])) end++;
            text = text.Remove(tick, end - tick);
            tick = text.IndexOf('`', StringComparison.Ordinal);
        }

        return text;
    }
}
