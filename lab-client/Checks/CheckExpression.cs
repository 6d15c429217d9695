using System.Globalization;
using System.Text;

namespace Lab.Client.Checks;

/// <summary>
/// A declarative check, k6-threshold style, over summary metrics of one or more variants:
/// <c>sync.latency.p99 &gt; 5 * async.latency.p99</c>, <c>limit1000.count.503 &gt; 0</c>.
/// Grammar: <c>expr (&lt;|&lt;=|&gt;|&gt;=|==|!=) expr</c>; expr uses numbers, metric references
/// <c>variant.group.stat</c>, <c>+ - * /</c> and parentheses.
/// </summary>
public sealed record CheckExpression(string Text, CheckNode Left, string Operator, CheckNode Right)
{
    public IEnumerable<MetricRef> Metrics => Left.Metrics.Concat(Right.Metrics);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying where and what was expected.</summary>
    public static CheckExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new Parser(text);
        var left = p.Expression();
        var op = p.Comparison();
        var right = p.Expression();
        p.End();
        return new CheckExpression(text, left, op, right);
    }

    /// <summary>True when the comparison holds for the given metric values.</summary>
    public bool Evaluate(Func<MetricRef, double> value) => Operator switch
    {
        "<" => Left.Evaluate(value) < Right.Evaluate(value),
        "<=" => Left.Evaluate(value) <= Right.Evaluate(value),
        ">" => Left.Evaluate(value) > Right.Evaluate(value),
        ">=" => Left.Evaluate(value) >= Right.Evaluate(value),
        "==" => Left.Evaluate(value) == Right.Evaluate(value),
        _ => Left.Evaluate(value) != Right.Evaluate(value),
    };

    private sealed class Parser(string text)
    {
        private int _pos;

        public CheckNode Expression()
        {
            var node = Term();
            while (Peek() is '+' or '-')
            {
                var op = text[_pos++];
                node = new BinaryNode(node, op, Term());
            }

            return node;
        }

        public string Comparison()
        {
            SkipSpace();
            foreach (var op in new[] { "<=", ">=", "==", "!=", "<", ">" })
            {
                if (string.CompareOrdinal(text, _pos, op, 0, op.Length) == 0)
                {
                    _pos += op.Length;
                    return op;
                }
            }

            throw Error("a comparison (<, <=, >, >=, ==, !=)");
        }

        public void End()
        {
            SkipSpace();
            if (_pos < text.Length) throw Error("the end of the check");
        }

        private CheckNode Term()
        {
            var node = Factor();
            while (Peek() is '*' or '/')
            {
                var op = text[_pos++];
                node = new BinaryNode(node, op, Factor());
            }

            return node;
        }

        private CheckNode Factor()
        {
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
                return new BinaryNode(new NumberNode(0), '-', Factor());
            }

            if (c is >= '0' and <= '9' or '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiDigit(text[_pos]) || text[_pos] is '.' or '_')) _pos++;
                var raw = text[start.._pos].Replace("_", "", StringComparison.Ordinal);
                return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    ? new NumberNode(n)
                    : throw Error("a number", start);
            }

            if (char.IsAsciiLetter(c))
            {
                var start = _pos;
                var parts = new List<string>();
                var part = new StringBuilder();
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.'))
                {
                    if (text[_pos] == '.')
                    {
                        parts.Add(part.ToString());
                        part.Clear();
                    }
                    else
                    {
                        part.Append(text[_pos]);
                    }

                    _pos++;
                }

                parts.Add(part.ToString());
                if (parts.Count != 3 || parts.Any(string.IsNullOrEmpty))
                {
                    throw Error("a metric reference variant.group.stat (e.g. sync.latency.p99)", start);
                }

                return new MetricNode(new MetricRef(parts[0], parts[1], parts[2]));
            }

            throw Error("a number, a metric reference (variant.group.stat) or '('");
        }

        private char Peek()
        {
            SkipSpace();
            return _pos < text.Length ? text[_pos] : '\0';
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Error(string expected, int? at = null)
        {
            var pos = at ?? _pos;
            var found = pos < text.Length ? $"\"{text[pos..]}\"" : "the end";
            return new FormatException($"at column {pos + 1}: found {found}; expected {expected}");
        }
    }
}

/// <summary>A metric named in a check.</summary>
public sealed record MetricRef(string Variant, string Group, string Stat)
{
    public override string ToString() => $"{Variant}.{Group}.{Stat}";
}

/// <summary>A node of a check's expression tree.</summary>
public abstract record CheckNode
{
    public abstract IEnumerable<MetricRef> Metrics { get; }

    public abstract double Evaluate(Func<MetricRef, double> value);
}

public sealed record NumberNode(double Value) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => [];

    public override double Evaluate(Func<MetricRef, double> value) => Value;
}

public sealed record MetricNode(MetricRef Metric) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => [Metric];

    public override double Evaluate(Func<MetricRef, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value(Metric);
    }
}

public sealed record BinaryNode(CheckNode Left, char Operator, CheckNode Right) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => Left.Metrics.Concat(Right.Metrics);

    public override double Evaluate(Func<MetricRef, double> value) => Operator switch
    {
        '+' => Left.Evaluate(value) + Right.Evaluate(value),
        '-' => Left.Evaluate(value) - Right.Evaluate(value),
        '*' => Left.Evaluate(value) * Right.Evaluate(value),
        _ => Left.Evaluate(value) / Right.Evaluate(value),
    };
}
