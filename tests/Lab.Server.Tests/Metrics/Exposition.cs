using System.Globalization;
using System.Text.RegularExpressions;

namespace Lab.Server.Tests.Metrics;

/// <summary>
/// An independent reader of Prometheus text (0.0.4) for tests, and the rules promtool 2.42 does not
/// check: every histogram's <c>+Inf</c> bucket equals its <c>_count</c>, buckets are cumulative in
/// increasing <c>le</c>, no series appears twice, each family is one contiguous group after its TYPE.
/// </summary>
internal sealed partial class Exposition
{
    private Exposition(Dictionary<string, string> types, List<Sample> samples)
    {
        Types = types;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> Types { get; }
    public IReadOnlyList<Sample> Samples { get; }

    public static Exposition Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types.Add(parts[2], parts[3]);
            }
            else if (!line.StartsWith('#'))
            {
                var m = SampleLine().Match(line);
                Assert.True(m.Success, $"not a sample line: {line}");
                var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
                samples.Add(new Sample(m.Groups["name"].Value, labels, m.Groups["labels"].Value, ParseValue(m.Groups["value"].Value)));
            }
        }

        return new Exposition(types, samples);
    }

    /// <summary>Samples of a family (for histograms, of one of its <c>_bucket</c>/<c>_sum</c>/<c>_count</c> names).</summary>
    public IEnumerable<Sample> Of(string name) => Samples.Where(s => s.Name == name);

    public double Value(string name, params (string Label, string Value)[] labels) =>
        Of(name).Single(s => labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Value;

    /// <summary>Every rule in the summary; the messages name the offending series.</summary>
    public static void AssertRules(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var e = Parse(text);

        var series = e.Samples.GroupBy(s => s.Name + "{" + s.RawLabels + "}").Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(series.Count == 0, "duplicate series: " + string.Join(", ", series));

        // Contiguous groups: once another family has started, a family never comes back.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var sample in e.Samples)
        {
            var family = e.FamilyOf(sample.Name);
            Assert.True(e.Types.ContainsKey(family), $"{sample.Name} has no # TYPE line");
            if (family != current)
            {
                Assert.True(seen.Add(family), $"{family} is split into more than one group");
                current = family;
            }
        }

        foreach (var (family, type) in e.Types.Where(t => t.Value == "histogram"))
        {
            foreach (var point in e.Of(family + "_count"))
            {
                var buckets = e.Of(family + "_bucket")
                    .Where(b => Without(b.Labels, "le").SequenceEqual(point.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)))
                    .ToList();
                Assert.True(buckets.Count > 0, $"{family}{{{point.RawLabels}}} has no buckets");
                Assert.Equal("+Inf", buckets[^1].Labels["le"]);
                Assert.Equal(point.Value, buckets[^1].Value);
                for (var i = 1; i < buckets.Count; i++)
                {
                    Assert.True(ParseValue(buckets[i].Labels["le"]) > ParseValue(buckets[i - 1].Labels["le"]), $"{family}: le not increasing at {buckets[i].Labels["le"]}");
                    Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{family}: buckets not cumulative at le={buckets[i].Labels["le"]}");
                }

                Assert.Single(e.Of(family + "_sum"), s => s.RawLabels == point.RawLabels);
            }
        }
    }

    private string FamilyOf(string sampleName)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal))
            {
                var family = sampleName[..^suffix.Length];
                if (Types.TryGetValue(family, out var t) && t == "histogram")
                {
                    return family;
                }
            }
        }

        return sampleName;
    }

    private static IOrderedEnumerable<KeyValuePair<string, string>> Without(Dictionary<string, string> labels, string key) =>
        labels.Where(l => l.Key != key).OrderBy(l => l.Key, StringComparer.Ordinal);

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, Dictionary<string, string> Labels, string RawLabels, double Value);
}
