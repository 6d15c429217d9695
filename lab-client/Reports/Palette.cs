namespace Lab.Client.Reports;

/// <summary>Colours that stay the same for a variant across every chart of a run (and of a comparison).</summary>
public static class Palette
{
    private static readonly string[] s_variants = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    public static string Variant(int index) => s_variants[index % s_variants.Length];

    public const string Ok = "#2ca02c";
    public const string Rejected503 = "#ff7f0e";
    public const string Errors = "#d62728";
    public const string Timeouts = "#9467bd";
    public const string Dropped = "#444444";
    public const string Offered = "#7f7f7f";
}
