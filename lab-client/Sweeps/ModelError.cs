using System.Globalization;

namespace Lab.Client.Sweeps;

/// <summary>The model's error on one metric of one cell: the measured median, the prediction, and <see cref="ModelError.Of"/>.</summary>
public sealed record CellModelError(string Metric, double Measured, double Predicted, double Error);

/// <summary>
/// The model's error, one rule for every metric and every output (a sweep's tables, CSV and JSON, a run report's model
/// section): (model − measured) ÷ measured, a fraction shown in %. Near zero the measured value is no yardstick — a 503
/// share measured at 0 would make any prediction infinitely wrong — so the divisor is never below the metric's floor:
/// <see cref="ShareFloor"/> for a share, <see cref="ValueFloor"/> for everything else (a request/s, a ms, a thread).
/// </summary>
public static class ModelError
{
    /// <summary>The smallest divisor for a share (1 %): a share measured 0 % and predicted 0.5 % is off by +50 %, not by infinity.</summary>
    public const double ShareFloor = 0.01;

    /// <summary>The smallest divisor for a rate, a latency or a count: one request/s, one ms, one thread.</summary>
    public const double ValueFloor = 1;

    public static bool IsShare(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return metric.StartsWith("share.", StringComparison.Ordinal);
    }

    public static double Floor(string metric) => IsShare(metric) ? ShareFloor : ValueFloor;

    /// <summary>(predicted − measured) ÷ max(|measured|, floor); NaN when either side is missing.</summary>
    public static double Of(string metric, double predicted, double measured) =>
        !double.IsFinite(predicted) || !double.IsFinite(measured) ? double.NaN
        : (predicted - measured) / Math.Max(Math.Abs(measured), Floor(metric));

    /// <summary>"+12.5 %", "−3 %", "n/a".</summary>
    public static string Format(double error) =>
        !double.IsFinite(error) ? "n/a" : (error >= 0 ? "+" : "−") + (Math.Abs(error) * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>The rule in words, for the reports, with the floors from the code.</summary>
    public static string Rule => string.Create(CultureInfo.InvariantCulture,
        $"Model error = (model − measured) ÷ measured, in %; when the measured value is below a floor — {ShareFloor * 100:0.##} % for a share, {ValueFloor:0.##} for a rate (request/s), a latency (ms) or a count (threads) — the floor is the divisor, so a measurement near zero does not make the error infinite.");
}
