namespace Lab.Client.Checks;

/// <summary>
/// A declarative check, k6-threshold style, over summary metrics of one or more variants and the
/// scenario's parameters: <c>sync.latency.p99 &gt; 5 * async.latency.p99</c>,
/// <c>serial.latency.p50 &gt;= 0.8 * calls * delayMs</c>.
/// Grammar: <c>expr (&lt;|&lt;=|&gt;|&gt;=|==|!=) expr</c>; expr uses numbers, parameters, metric references
/// <c>variant.group.stat</c> (or <c>variant.window.group.stat</c>), <c>+ - * /</c> and parentheses.
/// </summary>
public sealed record CheckExpression(string Text, CheckNode Left, string Operator, CheckNode Right)
{
    public IEnumerable<MetricRef> Metrics => Left.Metrics.Concat(Right.Metrics);

    public IEnumerable<string> Parameters => Left.Parameters.Concat(Right.Parameters);

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying where and what was expected.</summary>
    public static CheckExpression Parse(string text)
    {
        var p = new ExpressionParser(text);
        var left = p.Expression();
        var op = p.Comparison();
        var right = p.Expression();
        p.End("the end of the check");
        return new CheckExpression(text, left, op, right);
    }

    /// <summary>Parses arithmetic with no comparison (a number field written as <c>2 * rate</c>).</summary>
    public static CheckNode ParseArithmetic(string text)
    {
        var p = new ExpressionParser(text);
        var node = p.Expression();
        p.End("the end of the expression");
        return node;
    }

    /// <summary>True when the comparison holds for the given metric values and parameters.</summary>
    public bool Evaluate(ExpressionValues values)
    {
        var l = Left.Evaluate(values);
        var r = Right.Evaluate(values);
        return Operator switch
        {
            "<" => l < r,
            "<=" => l <= r,
            ">" => l > r,
            ">=" => l >= r,
            "==" => l == r,
            _ => l != r,
        };
    }

    /// <summary>For metrics only (no parameters).</summary>
    public bool Evaluate(Func<MetricRef, double> metric) => Evaluate(new ExpressionValues(metric, new Dictionary<string, double>()));
}
