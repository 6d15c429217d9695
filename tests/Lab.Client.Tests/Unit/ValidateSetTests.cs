using Lab.Client.Commands;
using Lab.Client.Running;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary><c>validate</c> takes <c>--set</c> as the suite does, so a set over several scenarios can be checked before it runs.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ValidateSetTests
{
    private static readonly string s_scenarios = Path.Combine(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!, "scenarios");
    private static readonly string[] s_files = [Path.Combine(s_scenarios, "c1-burst.yaml"), Path.Combine(s_scenarios, "c2-injection.yaml")];

    private static (int Code, string[] Out, string Err) Validate(params (string Key, string Value)[] set)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = ValidateCommand.Run(s_files, output, errors, set.ToDictionary(s => s.Key, s => s.Value));
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), errors.ToString());
    }

    [Fact]
    public void A_scenario_prefixed_set_applies_to_that_scenario_only()
    {
        var (code, lines, err) = Validate(("c1-burst:ratePerS", "150"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("ratePerS=150 (--set)", lines.Single(l => l.Contains("c1-burst.yaml", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("ratePerS=60,", lines.Single(l => l.Contains("c2-injection.yaml", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_set_applies_to_the_scenarios_that_declare_it()
    {
        // Only c2 declares prewarm: c1 is not told it has no such parameter.
        var (code, lines, err) = Validate(("prewarm", "50"));
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Contains("prewarm=50 (--set)", lines.Single(l => l.Contains("c2-injection.yaml", StringComparison.Ordinal)), StringComparison.Ordinal);
        // A name no scenario declares is still each file's error, with its line.
        var (bad, _, badErr) = Validate(("nosuch", "1"));
        Assert.Equal(ExitCodes.BadArguments, bad);
        Assert.Contains("c1-burst.yaml", badErr, StringComparison.Ordinal);
        Assert.Contains("declares no parameter \"nosuch\"", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_scenario_name_is_an_error_and_a_bad_value_names_its_file()
    {
        var (code, _, err) = Validate(("c99-nope:delayMs", "300"));
        Assert.Equal(ExitCodes.BadArguments, code);
        Assert.Contains("no scenario named \"c99-nope\" among c1-burst, c2-injection", err, StringComparison.Ordinal);

        // A value that breaks the scenario's requirement is that scenario's error, not the other's.
        var (broken, _, brokenErr) = Validate(("c1-burst:ratePerS", "10"), ("c1-burst:delayMs", "50"));
        Assert.Equal(ExitCodes.BadArguments, broken);
        Assert.Contains("c1-burst.yaml", brokenErr, StringComparison.Ordinal);
        Assert.Contains("requires[0]", brokenErr, StringComparison.Ordinal);
        Assert.DoesNotContain("c2-injection.yaml", brokenErr, StringComparison.Ordinal);
    }
}
