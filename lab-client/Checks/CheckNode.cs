namespace Lab.Client.Checks;

/// <summary>A metric named in a check: <c>variant.group.stat</c>, or <c>variant.window.group.stat</c> for a window other than the default.</summary>
public sealed record MetricRef(string Variant, string Group, string Stat, string? Window = null)
{
    /// <summary>The key in a variant's summary: <c>latency.p99</c>, or <c>drain.queue.max</c>.</summary>
    public string Key => Window is null ? $"{Group}.{Stat}" : $"{Window}.{Group}.{Stat}";

    public override string ToString() => $"{Variant}.{Key}";
}

/// <summary>The values an expression can name: metrics of a run (none at load time) and the scenario's parameters.</summary>
public sealed record ExpressionValues(Func<MetricRef, double> Metric, IReadOnlyDictionary<string, double> Parameters)
{
    public static ExpressionValues ParametersOnly(IReadOnlyDictionary<string, double> parameters) =>
        new(m => throw new InvalidOperationException($"no metric {m} at load time"), parameters);
}

/// <summary>A node of an expression tree.</summary>
public abstract record CheckNode
{
    public abstract IEnumerable<MetricRef> Metrics { get; }

    public abstract IEnumerable<string> Parameters { get; }

    public abstract double Evaluate(ExpressionValues values);
}

public sealed record NumberNode(double Value) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => [];
    public override IEnumerable<string> Parameters => [];
    public override double Evaluate(ExpressionValues values) => Value;
}

public sealed record MetricNode(MetricRef Metric) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => [Metric];
    public override IEnumerable<string> Parameters => [];

    public override double Evaluate(ExpressionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Metric(Metric);
    }
}

/// <summary>A scenario parameter named in an expression (<c>calls * delayMs</c>).</summary>
public sealed record ParameterNode(string Name) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => [];
    public override IEnumerable<string> Parameters => [Name];

    public override double Evaluate(ExpressionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Parameters.TryGetValue(Name, out var v) ? v : double.NaN;
    }
}

public sealed record BinaryNode(CheckNode Left, char Operator, CheckNode Right) : CheckNode
{
    public override IEnumerable<MetricRef> Metrics => Left.Metrics.Concat(Right.Metrics);
    public override IEnumerable<string> Parameters => Left.Parameters.Concat(Right.Parameters);

    public override double Evaluate(ExpressionValues values) => Operator switch
    {
        '+' => Left.Evaluate(values) + Right.Evaluate(values),
        '-' => Left.Evaluate(values) - Right.Evaluate(values),
        '*' => Left.Evaluate(values) * Right.Evaluate(values),
        _ => Left.Evaluate(values) / Right.Evaluate(values),
    };
}
