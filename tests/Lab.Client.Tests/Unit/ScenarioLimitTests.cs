using Lab.Client.Checks;
using Lab.Client.Scenarios;
using Lab.Client.Scenarios.Schema;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>
/// Hostile and huge input: every one of these once crashed the client (scanner exceptions, invalid casts, stack
/// overflows, path-too-long) or cost it gigabytes. Now each is a validation error naming where, within bounds.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ScenarioLimitTests
{
    private const string Minimal = """
        name: demo
        description: d
        load: { model: open, phases: [ { inject: { ratePerS: 1, durationS: 1 } } ] }
        variants:
          - name: a
            endpoint: /fast

        """;

    private static IReadOnlyList<ScenarioError> Errors(string text) =>
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "x.yaml", processorCount: 2)).Errors;

    [Theory]
    [InlineData("name: demo\nload: { model: open, phases: [ { inject: { ratePerS: 10, durationS: 2 ]", "not valid YAML")]
    [InlineData("name: demo\n? [a, b]\n: c\n", "a key that is a list")]
    [InlineData("name: demo\nvariants:\n  - name: a\n    env: { ? [x] : 1 }\n", "a key that is a list")]
    public void Broken_yaml_is_an_error_with_a_position_not_an_exception(string text, string message)
    {
        var errors = Errors(text);
        Assert.Contains(errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.True(e.Line >= 0));
    }

    [Fact]
    public void An_unclosed_flow_mapping_followed_by_more_keys_is_named_where_it_opens()
    {
        // YamlDotNet's scanner throws a bare InvalidOperationException, without a position, on this one.
        const string text = """
            name: demo
            description: d
            load:
              model: open
              phases:
                - inject: { ratePerS: 10, durationS: 2
            variants:
              - name: a
                endpoint: /fast
            """;
        var error = Assert.Single(Errors(text));
        Assert.Equal((6, 15), (error.Line, error.Column));
        Assert.Equal("load.phases[0].inject", error.Path);
        Assert.Contains("'{' that is never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_as_a_key_at_the_top_names_the_top_level()
    {
        var error = Assert.Single(Errors("name: demo\n? [a, b]\n: c\n"), e => e.Message.Contains("a key that is a list", StringComparison.Ordinal));
        Assert.Equal(("(top level)", 2), (error.Path, error.Line));
    }

    [Fact]
    public void Yaml_nested_a_hundred_thousand_deep_is_refused_before_it_can_overflow_the_stack()
    {
        var text = "name: demo\nx: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        Assert.Contains(Errors(text), e => e.Message.Contains($"nested more than {ScenarioLimits.MaxDepth} deep", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(200_000, "(", ")")]
    [InlineData(200_000, "-", "")]
    public void A_check_nested_two_hundred_thousand_deep_is_an_error(int depth, string open, string close)
    {
        var check = string.Concat(Enumerable.Repeat(open, depth)) + "a.latency.p99" + string.Concat(Enumerable.Repeat(close, depth)) + " > 1";
        Assert.Throws<FormatException>(() => CheckExpression.Parse(check));
        var errors = Errors(Minimal + $"checks:\n  - \"{check}\"\n");
        Assert.Contains(errors, e => e.Path == "checks[0]");
    }

    [Fact]
    public void A_check_of_twenty_thousand_terms_is_an_error_not_a_report_that_overflows()
    {
        var check = string.Join(" + ", Enumerable.Repeat("a.latency.p99", 20_000)) + " > 1";
        Assert.Contains(Errors(Minimal + $"checks:\n  - \"{check}\"\n"), e => e.Path == "checks[0]" && e.Message.Contains("characters", StringComparison.Ordinal));
        var shortButMany = string.Join("+", Enumerable.Repeat("1", 200)) + " > 1";
        Assert.Throws<FormatException>(() => CheckExpression.Parse(shortButMany));
    }

    [Fact]
    public void Names_that_would_make_paths_too_long_are_refused()
    {
        Assert.Contains(Errors(Minimal.Replace("name: demo", "name: " + new string('a', 300), StringComparison.Ordinal)),
            e => e.Path == "name" && e.Message.Contains("at most 64", StringComparison.Ordinal));
        Assert.Contains(Errors(Minimal.Replace("  - name: a", "  - name: " + new string('v', 300), StringComparison.Ordinal)),
            e => e.Path == "variants[0].name" && e.Message.Contains("at most 40", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_over_a_megabyte_is_refused_without_being_parsed()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, Minimal + "# " + new string('x', ScenarioLimits.MaxFileBytes) + "\n");
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path));
        Assert.Contains("at most 1,048,576 bytes", ex.Errors.Single().Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public void Thousands_of_mistakes_give_a_bounded_list_and_a_count_of_the_rest()
    {
        var text = Minimal + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"unknown{i}: 1\n"));
        var errors = Errors(text);
        Assert.Equal(ScenarioLimits.MaxErrors + 1, errors.Count);
        Assert.Contains("found 4950 more errors", errors[^1].Message, StringComparison.Ordinal);

        // The count is about the whole file: printed without a position, not as x.yaml:0:0.
        Assert.StartsWith("x.yaml: (file): found 4950 more errors", errors[^1].ToString(), StringComparison.Ordinal);
        Assert.StartsWith("x.yaml:7:1: unknown0: ", errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_size_limit_counts_bytes_as_its_message_says()
    {
        // Fewer characters than the limit, but two UTF-8 bytes each: over it, as the same file on disk would be.
        var text = Minimal + "# " + new string('é', ScenarioLimits.MaxFileBytes / 2) + "\n";
        Assert.True(text.Length < ScenarioLimits.MaxFileBytes);
        var error = Assert.Single(Errors(text));
        Assert.Equal($"found {System.Text.Encoding.UTF8.GetByteCount(text):N0} bytes; expected a scenario of at most {ScenarioLimits.MaxFileBytes:N0} bytes (a scenario is a few kilobytes)", error.Message);

        var path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        Assert.Equal(error.Message, Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path)).Errors.Single().Message);
        File.Delete(path);
    }

    [Theory]
    [InlineData(ExpressionParser.MaxDepth + 5, "levels of nesting")]
    [InlineData(1, "characters long; expected at most")]
    public void A_description_formula_nested_too_deep_or_too_long_is_an_error(int depth, string message)
    {
        var inner = depth == 1 ? string.Join(" + ", Enumerable.Repeat("cpus", 200)) : "cpus";
        var formula = new string('(', depth) + inner + new string(')', depth);
        var text = Minimal.Replace("description: d", $"description: \"{{= {formula}}} connections\"", StringComparison.Ordinal);
        var error = Assert.Single(Errors(text));
        Assert.Equal(("description", 2), (error.Path, error.Line));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_are_used_by_name_in_numbers_and_checks_and_as_placeholders_in_texts()
    {
        var s = ScenarioLoader.Parse("""
            name: p
            description: "{calls} calls of {delayMs} ms"
            params:
              delayMs: { value: 500, min: 1, max: 5000, description: backend delay }
              calls: { value: 3, integer: true }
              stackBytes: 262144
            requires:
              - calls * delayMs > 1000
            load: { model: open, phases: [ { inject: { ratePerS: 2 * calls, durationS: calls } } ] }
            variants:
              - name: serial
                endpoint: /pwg/serial-sync?calls={calls}&delayMs={delayMs}
                server: { prewarmConnections: 2 * calls, maxConnectionsPerServer: "{calls}xCPU" }
                env: { DOTNET_Thread_DefaultStackSize: "{stackBytes:x}" }
            checks:
              - serial.latency.p50 >= 0.8 * calls * delayMs
            """, "p.yaml", processorCount: 2, overrides: new Dictionary<string, string> { ["delayMs"] = "300", ["calls"] = "4" });
        Assert.Equal("4 calls of 300 ms", s.Description);
        Assert.Equal("/pwg/serial-sync?calls=4&delayMs=300", s.Variants[0].Endpoints[0].PathAndQuery);
        Assert.Equal(new InjectPhase(8, 4), s.Variants[0].Load.Phases[0]);
        Assert.Equal("8", s.Variants[0].ServerKnobs["PrewarmConnections"]);
        Assert.Equal("4xCPU", s.Variants[0].ServerKnobs["MaxConnectionsPerServer"]);
        Assert.Equal("40000", s.Variants[0].Environment["DOTNET_Thread_DefaultStackSize"]);
        Assert.Equal(["calls", "delayMs"], s.Checks[0].Parameters);
        var delay = s.Parameters.Single(p => p.Name == "delayMs");
        Assert.Equal((300.0, ScenarioParameter.FromSet, "ms"), (delay.Value, delay.Origin, delay.Unit));
        Assert.Equal(2, s.Parameters.Single(p => p.Name == "cpus").Value);
    }

    [Theory]
    [InlineData("nope", "1", "params.nope", "declares no parameter \"nope\"")]
    [InlineData("delayMs", "fast", "params.delayMs", "found --set delayMs=\"fast\"; expected a number")]
    [InlineData("delayMs", "9000", "params.delayMs", "expected a number from 1 to 5000")]
    [InlineData("calls", "2.5", "params.calls", "expected a whole number")]
    [InlineData("calls", "1", "requires[0]", "\"calls * delayMs > 1000\" false with these parameters (500 > 1000; --set calls=1)")]
    public void A_bad_set_value_names_the_parameter_and_what_it_takes(string name, string value, string path, string message)
    {
        var text = """
            name: p
            description: d
            params:
              delayMs: { value: 500, min: 1, max: 5000 }
              calls: { value: 3, integer: true }
            requires:
              - calls * delayMs > 1000
            load: { model: open, phases: [ { inject: { ratePerS: 1, durationS: 1 } } ] }
            variants:
              - name: a
                endpoint: /fast
            """;
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "p.yaml", 2, new Dictionary<string, string> { [name] = value }));
        Assert.Contains(ex.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sync p99 {sync.latency.p99} ms over 500 ms", "500")]
    [InlineData("12 × CPUs", "12")]
    [InlineData("with a queue of 1,000", "1,000")]
    [InlineData("p99, p50, HTTP 503, .NET 10, C15, 5xx, HTTP/1.1, x64", null)]
    [InlineData("{= 12 * cpus} connections, {delayMs} ms, {sync.latency.p99} ms", null)]
    public void Texts_may_not_carry_bare_numbers_but_names_with_digits_are_fine(string text, string? bare)
    {
        Assert.Equal(bare, ScenarioLoader.BareNumber(text));
    }
}
