using System.Globalization;
using System.Text.RegularExpressions;
using Lab.Client.Checks;
using Lab.Client.Scenarios.Schema;
using Lab.Client.Sweeps;
using Lab.Contracts;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary><c>sweep:</c> — the grid over parameters and knobs, zipped groups, the objective and the model's inputs.</summary>
public sealed partial class ScenarioLoader
{
    /// <summary>Cells a sweep may have: a grid is a plan, not an open-ended search.</summary>
    public const int MaxSweepCells = 400;

    private SweepSpec? Sweep(YamlMappingNode root, List<Variant> variants, bool hasTarget)
    {
        var section = ScenarioSchema.Sweep;
        if (Child(root, "sweep") is not { } node) return null;
        if (node is not YamlMappingNode map)
        {
            Error(node, "sweep", Found(node), "a mapping { grid: {...}, objective: {...}, model: {...} }");
            return null;
        }

        Keys(map, "sweep", section);
        var axes = Grid(map, hasTarget);
        var zip = Zip(map, axes);
        var objective = Child(map, "objective") is { } o ? Objective(o, variants) : null;
        // Without its own model: the judged variant's, if it declares one.
        var model = Child(map, "model") is { } m ? Model(m, "sweep.model")
            : variants.FirstOrDefault(v => v.Name == (objective?.Variant ?? (variants.Count > 0 ? variants[0].Name : null)))?.Model;
        var maxMinutes = Number(map, section["maxMinutes"], "sweep") ?? 30;
        if (axes is null) return null;
        var cells = SweepPlan.CellCount(axes, zip);
        if (cells > MaxSweepCells)
        {
            Error(Child(map, "grid")!, "sweep.grid", $"{cells} cells", $"at most {MaxSweepCells} (zip names that move together, or sweep fewer values)");
            return null;
        }

        return new SweepSpec(axes, zip, objective, model, maxMinutes);
    }

    private List<SweepAxis>? Grid(YamlMappingNode sweep, bool hasTarget)
    {
        var field = ScenarioSchema.Sweep["grid"];
        if (Child(sweep, "grid") is not { } node)
        {
            Missing(sweep, "sweep.grid", "each swept name with its values, e.g. { queueLimit: [100, 1000] }");
            return null;
        }

        if (node is not YamlMappingNode grid || grid.Children.Count == 0)
        {
            Error(node, "sweep.grid", Found(node), "a non-empty mapping of names to values");
            return null;
        }

        if (grid.Children.Count > field.MaxItems) Error(grid, "sweep.grid", $"{grid.Children.Count} names", $"at most {field.MaxItems}");
        var axes = new List<SweepAxis>();
        foreach (var (k, v) in grid.Children)
        {
            if (KeyText(k, "sweep.grid") is not { } name) continue;
            var path = $"sweep.grid.{Clip(name)}";
            var knob = _parameters.ContainsKey(name) ? null : ServerKnobs.Find(name);
            if (!_parameters.ContainsKey(name) && (knob is null || knob.SetByOrchestrator))
            {
                Error(k, path, $"\"{Clip(name)}\", neither a parameter of this scenario nor a server knob",
                    $"one of the parameters ({string.Join(", ", _parameters.Keys.Where(p => p != CpusParameter))}) or a server knob (lab-server/README.md)");
                continue;
            }

            if (knob is not null && hasTarget)
            {
                Error(k, path, $"server knob \"{knob.CamelName}\" with a target:", "a parameter: the target is your own server, which the lab does not configure (pass the value through target.env or target.command)");
                continue;
            }

            if (name == CpusParameter)
            {
                Error(k, path, "cpus, which is the machine's", "a parameter of this scenario or a server knob");
                continue;
            }

            var values = AxisValues(v, path);
            if (values is null) continue;
            var ok = true;
            foreach (var value in values)
            {
                if (knob is not null)
                {
                    // "default" leaves the knob unset: the server's own default (e.g. no limiter, no connection cap).
                    if (value != SweepAxis.Default && knob.Check(value, _processorCount) is { } expected) ok = !Error(v, path, $"\"{Clip(value)}\"", expected);
                }
                else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
                {
                    ok = !Error(v, path, $"\"{Clip(value)}\"", "a number (the parameter's value)");
                }
                else if (_parameters[name] is { } p && (n < p.Min || n > p.Max || (p.WholeNumber && n != Math.Floor(n))))
                {
                    ok = !Error(v, path, $"{Clip(value)}", $"a value the parameter allows ({(p.WholeNumber ? "a whole number " : "")}from {Fmt(p.Min ?? double.NegativeInfinity)} to {Fmt(p.Max ?? double.PositiveInfinity)})");
                }
            }

            if (ok) axes.Add(new SweepAxis(name, knob?.Name, values));
        }

        return axes.Count == grid.Children.Count ? axes : null;
    }

    private List<string>? AxisValues(YamlNode node, string path)
    {
        if (node is YamlSequenceNode list)
        {
            if (list.Children.Count is 0 or > 50)
            {
                Error(list, path, $"{list.Children.Count} values", "from 1 to 50 values");
                return null;
            }

            var values = new List<string>();
            foreach (var item in list.Children)
            {
                if (item is YamlScalarNode { Value: { } v } && !string.IsNullOrWhiteSpace(v)) values.Add(v.Trim());
                else Error(item, path, Found(item), "a value");
            }

            return values.Count == list.Children.Count ? values : null;
        }

        if (node is YamlMappingNode range)
        {
            Keys(range, path, ["from", "to", "step"]);
            var from = PlainNumber(range, "from", path, required: true);
            var to = PlainNumber(range, "to", path, required: true);
            var step = PlainNumber(range, "step", path, required: true);
            if (from is null || to is null || step is null) return null;
            if (step <= 0 || to < from || (to - from) / step > 50)
            {
                Error(range, path, $"from {Fmt(from.Value)} to {Fmt(to.Value)} step {Fmt(step.Value)}", "from <= to, a positive step, and at most 50 values");
                return null;
            }

            var values = new List<string>();
            for (var x = from.Value; x <= to.Value + step.Value * 1e-9; x += step.Value) values.Add(Math.Round(x, 9).ToString("0.#########", CultureInfo.InvariantCulture));
            return values;
        }

        Error(node, path, Found(node), "a list of values, or { from, to, step }");
        return null;
    }

    private List<IReadOnlyList<string>> Zip(YamlMappingNode sweep, List<SweepAxis>? axes)
    {
        var groups = new List<IReadOnlyList<string>>();
        if (Child(sweep, "zip") is not { } node) return groups;
        if (node is not YamlSequenceNode list)
        {
            Error(node, "sweep.zip", Found(node), "a list of groups, e.g. [[minWorkerThreads, maxWorkerThreads]]");
            return groups;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"sweep.zip[{i}]";
            if (list.Children[i] is not YamlSequenceNode group || group.Children.Count < 2)
            {
                Error(list.Children[i], path, Found(list.Children[i]), "a list of at least two grid names");
                continue;
            }

            var names = group.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList();
            var missing = names.Where(n => axes?.Any(a => a.Name == n) != true).ToList();
            if (missing.Count > 0)
            {
                Error(group, path, $"\"{string.Join("\", \"", missing.Select(Clip))}\", not in the grid", "names of sweep.grid");
                continue;
            }

            if (names.Any(n => !used.Add(n)))
            {
                Error(group, path, "a name in two zip groups", "each name in at most one group");
                continue;
            }

            var counts = names.Select(n => axes!.First(a => a.Name == n).Values.Count).Distinct().ToList();
            if (counts.Count > 1)
            {
                Error(group, path, $"value counts {string.Join(", ", names.Select(n => $"{n} {axes!.First(a => a.Name == n).Values.Count}"))}", "the same number of values for every name that moves together");
                continue;
            }

            groups.Add(names);
        }

        return groups;
    }

    private SweepObjective? Objective(YamlNode node, List<Variant> variants)
    {
        var section = ScenarioSchema.Objective;
        if (node is not YamlMappingNode map)
        {
            Error(node, "sweep.objective", Found(node), "a mapping { maximize: metric, subjectTo: [...] }");
            return null;
        }

        Keys(map, "sweep.objective", section);
        var max = Text(map, section["maximize"], "sweep.objective");
        var min = Text(map, section["minimize"], "sweep.objective");
        if ((max is null) == (min is null))
        {
            Error(map, "sweep.objective", max is null ? "neither maximize nor minimize" : "both maximize and minimize", "exactly one of maximize or minimize");
            return null;
        }

        var variant = Text(map, section["variant"], "sweep.objective") ?? (variants.Count > 0 ? variants[0].Name : null);
        if (variant is not null && variants.Count > 0 && variants.All(v => v.Name != variant))
        {
            Error(Child(map, "variant")!, "sweep.objective.variant", $"\"{Clip(variant)}\"", $"one of this scenario's variants: {string.Join(", ", variants.Select(v => v.Name))}");
            return null;
        }

        var metric = (max ?? min)!;
        if (variant is not null && !ObjectiveMetric(Child(map, max is null ? "minimize" : "maximize")!, "sweep.objective", metric, variant)) return null;
        var constraints = new List<string>();
        if (Child(map, "subjectTo") is YamlSequenceNode list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var path = $"sweep.objective.subjectTo[{i}]";
                if (Scalar(list.Children[i], section["subjectTo"].Item!, path) is not { } text || variant is null) continue;
                try
                {
                    var check = SweepObjective.Bind(text, variant);
                    var unknown = check.Parameters.Where(p => !_parameters.ContainsKey(p)).ToList();
                    if (unknown.Count > 0) Error(list.Children[i], path, $"unknown parameter \"{string.Join("\", \"", unknown)}\"", ParametersExpected());
                    else if (check.Metrics.All(m => Metric(list.Children[i], path, m, $" in \"{Clip(text)}\""))) constraints.Add(text);
                }
                catch (FormatException ex)
                {
                    Error(list.Children[i], path, $"\"{Clip(text)}\" — {ex.Message}", "a comparison such as latency.p99 <= 1000");
                }
            }
        }
        else if (Child(map, "subjectTo") is { } other)
        {
            Error(other, "sweep.objective.subjectTo", Found(other), "a list of constraints");
        }

        return new SweepObjective(metric, max is not null, constraints, variant);
    }

    private bool ObjectiveMetric(YamlNode node, string path, string metric, string variant)
    {
        var parts = metric.Split('.');
        if (parts.Length is not (2 or 3))
        {
            return !Error(node, path, $"\"{Clip(metric)}\"", "a metric without the variant, e.g. throughput.mean or drain.queue.max");
        }

        var m = parts.Length == 2 ? new MetricRef(variant, parts[0], parts[1]) : new MetricRef(variant, parts[1], parts[2], parts[0]);
        return Metric(node, path, m, "");
    }

    private SweepModelSpec? Model(YamlNode node, string path)
    {
        var section = ScenarioSchema.SweepModel;
        if (node is not YamlMappingNode map)
        {
            Error(node, path, Found(node), "a mapping { style: awaiting|blocking|blockingTask, delayMs: … }");
            return null;
        }

        Keys(map, path, section);
        var style = Choice(map, section["style"], path);
        // Checked now, kept as text: each cell evaluates them with its own parameter values.
        var delay = Number(map, section["delayMs"], path) is not null && Child(map, "delayMs") is YamlScalarNode { Value: { } d } ? d.Trim() : null;
        var calls = Child(map, "calls") is YamlScalarNode { Value: { } c } ? (Number(map, section["calls"], path) is not null ? c.Trim() : null) : "1";
        return style is null || delay is null || calls is null ? null : new SweepModelSpec(style, delay, calls);
    }
}
