using System.Text.RegularExpressions;
using Lab.Client.Checks;

namespace Lab.Client.Sweeps;

/// <summary>A scenario's <c>sweep:</c>: the grid, which names move together, how to pick a recommendation, and the model's inputs.</summary>
public sealed record SweepSpec(IReadOnlyList<SweepAxis> Axes, IReadOnlyList<IReadOnlyList<string>> Zip, SweepObjective? Objective, SweepModelSpec? Model, double MaxMinutes);

/// <summary>One swept name: a parameter of the scenario, or a server knob (<see cref="KnobName"/> set), and its values as text.</summary>
public sealed record SweepAxis(string Name, string? KnobName, IReadOnlyList<string> Values)
{
    /// <summary>A knob value that leaves the knob unset, so the server uses its own default.</summary>
    public const string Default = "default";

    public bool IsKnob => KnobName is not null;
}

/// <summary>
/// Maximise or minimise one metric of one variant among the cells that meet every constraint. Metrics are named
/// without the variant (<c>latency.p99</c>); the objective's variant is put in front of them.
/// </summary>
public sealed partial record SweepObjective(string Metric, bool Maximize, IReadOnlyList<string> Constraints, string? Variant)
{
    /// <summary>A constraint as a check over the given variant: <c>latency.p99 &lt;= 1000</c> → <c>v.latency.p99 &lt;= 1000</c>.</summary>
    public static CheckExpression Bind(string constraint, string variant) => CheckExpression.Parse(Prefix(constraint, variant));

    public static string Prefix(string text, string variant) =>
        MetricToken().Replace(text, m => $"{variant}.{m.Value}");

    // A dotted name: group.stat or window.group.stat (a parameter has no dot).
    [GeneratedRegex(@"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){1,2}(?![\w.])")]
    private static partial Regex MetricToken();
}

/// <summary>
/// What the model needs: how the endpoint waits (awaiting, blocking, blockingTask), the backend delay and calls per
/// request — as expressions over the parameters, evaluated per cell (a sweep over delayMs moves the model's delay too).
/// </summary>
public sealed record SweepModelSpec(string Style, string DelayMs, string Calls)
{
    public double Delay(IReadOnlyDictionary<string, double> parameters) =>
        CheckExpression.ParseArithmetic(DelayMs).Evaluate(ExpressionValues.ParametersOnly(parameters));

    public int CallsPerRequest(IReadOnlyDictionary<string, double> parameters) =>
        (int)Math.Max(1, CheckExpression.ParseArithmetic(Calls).Evaluate(ExpressionValues.ParametersOnly(parameters)));
}
