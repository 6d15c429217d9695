using MathNet.Numerics.Distributions;

namespace Lab.Client.Analysis;

/// <summary>
/// One metric over the repetitions of a variant: median with min–max, and from five repetitions on, the 95 %
/// confidence interval of the mean (Student's t). With one repetition it is just that value.
/// </summary>
public sealed record Spread(IReadOnlyList<double> Values)
{
    public const int MinForInterval = 5;

    private double[] Finite => [.. Values.Where(double.IsFinite).Order()];

    public int N => Finite.Length;

    public double Median
    {
        get
        {
            var f = Finite;
            return f.Length == 0 ? double.NaN : f.Length % 2 == 1 ? f[f.Length / 2] : (f[f.Length / 2 - 1] + f[f.Length / 2]) / 2;
        }
    }

    public double Min => N == 0 ? double.NaN : Finite[0];
    public double Max => N == 0 ? double.NaN : Finite[^1];
    public double Mean => N == 0 ? double.NaN : Finite.Average();

    /// <summary>The 95 % interval of the mean, from <see cref="MinForInterval"/> finite values on; null below.</summary>
    public (double Low, double High)? Ci95
    {
        get
        {
            var f = Finite;
            if (f.Length < MinForInterval) return null;
            var mean = f.Average();
            var sd = Math.Sqrt(f.Sum(x => (x - mean) * (x - mean)) / (f.Length - 1));
            var half = StudentT.InvCDF(0, 1, f.Length - 1, 0.975) * sd / Math.Sqrt(f.Length);
            return (mean - half, mean + half);
        }
    }

    /// <summary>Relative width of the range, (max − min) / median: how much repetitions disagree.</summary>
    public double RelativeRange => N < 2 || Median == 0 ? 0 : (Max - Min) / Math.Abs(Median);
}
