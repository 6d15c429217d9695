using System.Globalization;

namespace Lab.Client.Checks;

/// <summary>
/// A small recursive-descent parser for arithmetic over numbers, parameters (<c>delayMs</c>) and metrics
/// (<c>sync.latency.p99</c>, <c>sync.drain.queue.max</c>). Bounded: a text longer than
/// <see cref="MaxLength"/>, nested deeper than <see cref="MaxDepth"/> or with more than
/// <see cref="MaxTerms"/> terms is refused with a FormatException before it can exhaust the stack.
/// </summary>
internal sealed class ExpressionParser
{
    public const int MaxLength = 500;
    public const int MaxDepth = 20;
    public const int MaxTerms = 60;

    private readonly string _text;
    private int _pos;
    private int _depth;
    private int _terms;

    public ExpressionParser(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FormatException($"{text.Length} characters long; expected at most {MaxLength}");
        }

        _text = text;
    }

    public CheckNode Expression()
    {
        if (++_depth > MaxDepth) throw Error($"at most {MaxDepth} levels of nesting");
        var node = Term();
        while (Peek() is '+' or '-')
        {
            var op = _text[_pos++];
            node = new BinaryNode(node, op, Term());
        }

        _depth--;
        return node;
    }

    public string Comparison()
    {
        SkipSpace();
        foreach (var op in new[] { "<=", ">=", "==", "!=", "<", ">" })
        {
            if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return op;
            }
        }

        throw Error("a comparison (<, <=, >, >=, ==, !=)");
    }

    public void End(string what)
    {
        SkipSpace();
        if (_pos < _text.Length) throw Error(what);
    }

    private CheckNode Term()
    {
        var node = Factor();
        while (Peek() is '*' or '/')
        {
            var op = _text[_pos++];
            node = new BinaryNode(node, op, Factor());
        }

        return node;
    }

    private CheckNode Factor()
    {
        if (++_terms > MaxTerms) throw Error($"at most {MaxTerms} terms");
        var c = Peek();
        if (c == '(')
        {
            _pos++;
            var inner = Expression();
            if (Peek() != ')') throw Error("')'");
            _pos++;
            return inner;
        }

        if (c == '-')
        {
            _pos++;
            if (++_depth > MaxDepth) throw Error($"at most {MaxDepth} levels of nesting");
            var negated = new BinaryNode(new NumberNode(0), '-', Factor());
            _depth--;
            return negated;
        }

        if (c is >= '0' and <= '9' or '.')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '.' or '_')) _pos++;
            var raw = _text[start.._pos].Replace("_", "", StringComparison.Ordinal);
            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? new NumberNode(n)
                : throw Error("a number", start);
        }

        if (char.IsAsciiLetter(c))
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.')) _pos++;
            var parts = _text[start.._pos].Split('.');
            if (parts.Any(string.IsNullOrEmpty) || parts.Length is 2 or > 4)
            {
                throw Error("a parameter (delayMs) or a metric reference variant.group.stat (e.g. sync.latency.p99)", start);
            }

            return parts.Length switch
            {
                1 => new ParameterNode(parts[0]),
                3 => new MetricNode(new MetricRef(parts[0], parts[1], parts[2])),
                _ => new MetricNode(new MetricRef(parts[0], parts[2], parts[3], parts[1])),
            };
        }

        throw Error("a number, a parameter, a metric reference (variant.group.stat) or '('");
    }

    private char Peek()
    {
        SkipSpace();
        return _pos < _text.Length ? _text[_pos] : '\0';
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private FormatException Error(string expected, int? at = null)
    {
        var pos = at ?? _pos;
        var rest = pos < _text.Length ? _text[pos..] : "";
        var found = rest.Length == 0 ? "the end" : $"\"{(rest.Length > 40 ? rest[..40] + "…" : rest)}\"";
        return new FormatException($"at column {pos + 1}: found {found}; expected {expected}");
    }
}
