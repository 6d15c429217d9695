using System.Globalization;
using Lab.Client.Commands;
using Lab.Client.Scenarios;

namespace Lab.Client.Sweeps;

/// <summary>One cell of a sweep: a value for every swept name, as parameter overrides and server-knob overrides.</summary>
public sealed record SweepCell(int Index, IReadOnlyList<(string Name, string Value)> Values)
{
    /// <summary>"queueLimit=500, concurrencyLimit=100".</summary>
    public string Label => string.Join(", ", Values.Select(v => $"{v.Name}={v.Value}"));

    /// <summary>A folder-safe id: "cell-07".</summary>
    public string Id => $"cell-{Index + 1:00}";

    public string Value(string name) => Values.First(v => v.Name == name).Value;
}

/// <summary>
/// The cells of a sweep and what running them takes: the grid's combinations (zipped names move together), and an
/// estimate of the wall time from the load profile, the drain bound and the measured cost of starting processes.
/// </summary>
public static class SweepPlan
{
    /// <summary>Seconds a variant run costs beyond its profile: starting a server, warm-up, stopping (measured: 2–4 s here).</summary>
    public const double OverheadPerVariantRunS = 4;

    public static int CellCount(IReadOnlyList<SweepAxis> axes, IReadOnlyList<IReadOnlyList<string>> zip)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(zip);
        var zipped = zip.SelectMany(g => g).ToHashSet(StringComparer.Ordinal);
        long n = 1;
        foreach (var g in zip) n *= axes.First(a => a.Name == g[0]).Values.Count;
        foreach (var a in axes.Where(a => !zipped.Contains(a.Name))) n *= a.Values.Count;
        return (int)Math.Min(int.MaxValue, n);
    }

    public static IReadOnlyList<SweepCell> Cells(SweepSpec sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        // Each dimension is a list of value tuples: a zipped group moves its names together.
        var zipped = sweep.Zip.SelectMany(g => g).ToHashSet(StringComparer.Ordinal);
        var dimensions = new List<List<List<(string, string)>>>();
        foreach (var axis in sweep.Axes)
        {
            if (zipped.Contains(axis.Name))
            {
                var group = sweep.Zip.First(g => g.Contains(axis.Name));
                if (group[0] != axis.Name) continue;
                var members = group.Select(n => sweep.Axes.First(a => a.Name == n)).ToList();
                dimensions.Add([.. Enumerable.Range(0, axis.Values.Count).Select(i => members.Select(m => (m.Name, m.Values[i])).ToList())]);
            }
            else
            {
                dimensions.Add([.. axis.Values.Select(v => new List<(string, string)> { (axis.Name, v) })]);
            }
        }

        var cells = new List<SweepCell>();
        var combination = new List<(string, string)>();
        void Walk(int d)
        {
            if (d == dimensions.Count)
            {
                cells.Add(new SweepCell(cells.Count, [.. combination]));
                return;
            }

            foreach (var option in dimensions[d])
            {
                combination.AddRange(option);
                Walk(d + 1);
                combination.RemoveRange(combination.Count - option.Count, option.Count);
            }
        }

        Walk(0);
        return cells;
    }

    /// <summary>Estimated minutes for every cell, every variant, every repetition.</summary>
    public static double EstimateMinutes(Scenario scenario, int cells, int repeat)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var (_, seconds) = ScenarioOptions.Plan(scenario, 1);
        // Plan counts each variant's full drain bound; a run rarely needs all of it, but the estimate must not promise less.
        var perCell = seconds + scenario.Variants.Count * OverheadPerVariantRunS;
        return perCell * cells * repeat / 60;
    }

    /// <summary>Why a plan is refused: the estimate, the limit, and how to lift it (<c>--max-minutes</c>) or shrink the plan.</summary>
    public static string OverLimit(double minutes, double limit, bool limitGiven) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The sweep would take about {minutes:0.#} min, over its limit of {limit:0.#} min ({(limitGiven ? "--max-minutes" : "the sweep's maxMinutes:")}). To run it anyway, raise the limit: --max-minutes {Math.Ceiling(minutes * 10) / 10:0.#}. Or make it shorter: sweep fewer values, zip names that move together, use --scale, or fewer --repeat.");

    public static string Describe(Scenario scenario, IReadOnlyList<SweepCell> cells, int repeat, double minutes) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{scenario.Name}: {cells.Count} cells × {scenario.Variants.Count} variant{(scenario.Variants.Count == 1 ? "" : "s")} × {repeat} repetition{(repeat == 1 ? "" : "s")} = {cells.Count * scenario.Variants.Count * repeat} runs, about {minutes:0.#} min at most");
}
