namespace Lab.Client.Reports;

/// <summary>Colours (and line widths) that stay the same for a variant across every chart of a run (and of a comparison).</summary>
public static class Palette
{
    private static readonly string[] s_variants = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static string Variant(int index) => s_variants[index % s_variants.Length];

    /// <summary>
    /// The first variant's lines are the widest and each later one is drawn thinner on top of them: where two
    /// variants measure the same (both offered the same load, both idle at 2 threads), the later line runs inside
    /// the earlier one and both stay visible, instead of one hiding the other.
    /// </summary>
    public static double Width(int index) => Math.Max(1.2, 3.4 - 1.1 * index);

    /// <summary>
    /// A variant's secondary lines (p50 under p99, OS threads under pool threads…) are dashed or dotted, thinner and
    /// lighter, drawn on top: where a secondary line equals the primary one, its light dashes run inside the
    /// primary line instead of vanishing under it. Dotted lines stay darker than dashed ones, dash-dot lighter,
    /// so two secondary lines that coincide (private and virtual memory) still read as two.
    /// </summary>
    public static string Secondary(string color, LineStyle style = LineStyle.Dashed) => style switch
    {
        LineStyle.Solid => color,
        LineStyle.Dotted => Tint(color, 0.1),
        LineStyle.DashDot => Tint(color, 0.6),
        _ => Tint(color, 0.45),
    };

    public static double SecondaryWidth(int index, LineStyle style = LineStyle.Dashed) =>
        style == LineStyle.Dotted ? 1.4 : Math.Max(1.2, Width(index) * 0.6);

    /// <summary><paramref name="color"/> mixed with white: 0 keeps it, 1 is white.</summary>
    public static string Tint(string color, double white)
    {
        ArgumentNullException.ThrowIfNull(color);
        var rgb = Convert.ToInt32(color.TrimStart('#'), 16);
        int Mix(int c) => (int)Math.Round(c + (255 - c) * white);
        return $"#{Mix((rgb >> 16) & 0xff):x2}{Mix((rgb >> 8) & 0xff):x2}{Mix(rgb & 0xff):x2}";
    }

    /// <summary>
    /// One colour per reason the pool added a thread, the same in every run: the two that answer "why did it grow so
    /// fast / so slowly" stand apart (cooperative blocking dark purple, starvation dark orange), hill climbing's
    /// states are shades of one teal; a reason from a newer runtime is grey.
    /// </summary>
    public static string Reason(string reason) => reason switch
    {
        "cooperativeBlocking" => "#6a3d9a",
        "starvation" => "#d95f02",
        "climbingMove" => "#1b9e77",
        "warmup" => "#66c2a5",
        "initializing" => "#a6dbc9",
        "randomMove" => "#0e6e53",
        "changePoint" => "#4eb3a0",
        "stabilizing" => "#88ccc0",
        "threadTimedOut" => "#b8b8b8",
        _ => "#8c8c8c",
    };

    public const string Ok = "#2ca02c";
    public const string Rejected503 = "#ff7f0e";
    public const string Errors = "#d62728";
    public const string Timeouts = "#9467bd";
    public const string Dropped = "#444444";
    public const string Offered = "#7f7f7f";

    /// <summary>Load phases behind the data: sending phases alternate two light blues, a pause is grey.</summary>
    public const string Phase = "#e8f0fa";
    public const string PhaseAlternate = "#f3f7fc";
    public const string Pause = "#f6f6f6";

    /// <summary>The drain, after the last arrival: grey behind a dashed line at the last arrival, so it never reads as part of the load.</summary>
    public const string Drain = "#e9e9e9";
    public const string LastArrival = "#8a8a8a";

    /// <summary>A metric's entry in a factored legend (its line style, no variant's colour).</summary>
    public const string Key = "#555555";

    public const string Text = "#222222";
    public const string MutedText = "#5a6b7d";
}
