using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Sweeps;

/// <summary>A cell made concrete: the scenario read with the cell's parameter values, its knobs set on every variant.</summary>
public sealed record SweepCellScenario(SweepCell Cell, Scenario? Scenario, string? Invalid)
{
    /// <summary>
    /// Reads the scenario file again with the sweep's overrides plus the cell's parameter values — so every rule of the
    /// file (ranges, <c>requires:</c>, formulas) holds for the cell or the cell is invalid, with the loader's message —
    /// then sets the cell's knob values on every variant (<c>default</c> removes the knob) and checks the knobs together.
    /// </summary>
    public static SweepCellScenario Build(string path, SweepSpec sweep, SweepCell cell, IReadOnlyDictionary<string, string> overrides, double scale, int? processorCount = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(overrides);
        var parameters = new Dictionary<string, string>(overrides, StringComparer.Ordinal);
        foreach (var (name, value) in cell.Values.Where(v => sweep.Axes.First(a => a.Name == v.Name).KnobName is null)) parameters[name] = value;
        Scenario scenario;
        try
        {
            scenario = ScenarioLoader.Load(path, processorCount, parameters, scale);
        }
        catch (ScenarioException ex)
        {
            // The file's own rules, for this cell: "requires: queueLimit >= ..." and the like.
            return new SweepCellScenario(cell, null, string.Join("; ", ex.Errors.Select(e => $"{e.Path}: {e.Message}").DefaultIfEmpty(ex.Message)));
        }

        var knobs = cell.Values.Select(v => (Axis: sweep.Axes.First(a => a.Name == v.Name), v.Value)).Where(x => x.Axis.KnobName is not null).ToList();
        if (knobs.Count == 0) return new SweepCellScenario(cell, scenario, null);

        var cpus = processorCount ?? Environment.ProcessorCount;
        var variants = new List<Variant>();
        foreach (var v in scenario.Variants)
        {
            var merged = new Dictionary<string, string>(v.ServerKnobs, StringComparer.OrdinalIgnoreCase);
            foreach (var (axis, value) in knobs)
            {
                if (value == SweepAxis.Default) merged.Remove(axis.KnobName!);
                else merged[axis.KnobName!] = value;
            }

            var conflicts = ServerKnobRules.Check(merged, cpus);
            if (conflicts.Count > 0)
            {
                return new SweepCellScenario(cell, null, $"variant {v.Name}: {string.Join("; ", conflicts.Select(c => c.Message))}");
            }

            variants.Add(v with { ServerKnobs = merged });
        }

        return new SweepCellScenario(cell, scenario with { Variants = variants, ServerKnobs = Merge(scenario.ServerKnobs, knobs) }, null);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> knobs, List<(SweepAxis Axis, string Value)> values)
    {
        var merged = new Dictionary<string, string>(knobs, StringComparer.OrdinalIgnoreCase);
        foreach (var (axis, value) in values)
        {
            if (value == SweepAxis.Default) merged.Remove(axis.KnobName!);
            else merged[axis.KnobName!] = value;
        }

        return merged;
    }

    /// <summary>What the model is told about one variant of the cell (see <see cref="QueueModelInputs.For"/>).</summary>
    public static ModelInput? ModelInput(Scenario scenario, Variant variant, SweepModelSpec model, double injectionPerS, double rateFactor = 1, double delayFactor = 1)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(variant);
        return QueueModelInputs.For(variant.Load, variant.ServerKnobs, scenario.Parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
            scenario.Client.TimeoutS, scenario.Client.Seed, model, injectionPerS, rateFactor, delayFactor);
    }
}
