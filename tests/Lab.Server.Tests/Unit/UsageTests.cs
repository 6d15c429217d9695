using Lab.Contracts;
using Lab.Server.Hosting;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary><c>--help</c> is written from the knob table and the constants that enforce the limits, so it cannot leave one out.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class UsageTests
{
    public static TheoryData<string> Knobs() => [.. ServerKnobs.All.Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Knobs))]
    public void Help_names_every_knob_with_its_default_and_an_example(string name)
    {
        var knob = ServerKnobs.Find(name)!;
        var line = Usage.Text.Split('\n').SkipWhile(l => !l.StartsWith("  " + name + " ", StringComparison.Ordinal)).Take(2).ToArray();

        Assert.True(line.Length == 2, $"--help does not list {name}");
        Assert.Contains(knob.Description, line[0], StringComparison.Ordinal);
        Assert.Contains("default " + knob.Default, line[1], StringComparison.Ordinal);
        Assert.Contains($"--Lab:{name}={knob.Example}", line[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_knobs_in_table_order_and_nothing_else_as_a_knob()
    {
        var listed = Usage.Text.Split('\n')
            .SkipWhile(l => !l.StartsWith("Settings (section Lab", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Length > 0)
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]);
        Assert.Equal(ServerKnobs.All.Select(k => k.Name), listed);
    }

    [Fact]
    public void Help_states_the_limits_and_exit_codes_the_code_enforces()
    {
        Assert.Contains("items 100,000 per list", Usage.Text, StringComparison.Ordinal);
        Assert.Contains("calls × items 100,000 per server request", Usage.Text, StringComparison.Ordinal);
        Assert.Contains($"{ExitCodes.BadArguments} bad arguments or settings", Usage.Text, StringComparison.Ordinal);
        Assert.Contains($"{ExitCodes.KilledItself} killed itself", Usage.Text, StringComparison.Ordinal);
    }
}
