using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>Tiers are how the suite is run and timed (<c>--filter Tier=Unit</c>, …): a test class without one would never run in a tiered run.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class TierTests
{
    [Fact]
    public void Every_test_class_in_the_assembly_carries_exactly_one_known_tier()
    {
        var testClasses = typeof(TierTests).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToArray();
        Assert.NotEmpty(testClasses);

        var problems = new List<string>();
        foreach (var type in testClasses)
        {
            var tiers = type.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == Tier.Trait)
                .Select(a => (string?)a.ConstructorArguments[1].Value)
                .ToArray();
            if (tiers.Length != 1 || !Tier.InOrder.Contains(tiers[0]))
            {
                problems.Add($"{type.FullName}: [Trait(Tier.Trait, …)] = [{string.Join(", ", tiers)}], expected one of {string.Join(", ", Tier.InOrder)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_class_in_the_processes_folder_is_in_the_processes_tier_and_the_collection_that_takes_the_machine_lock()
    {
        // The machine-wide lock comes with the collection's fixture: a process test outside it could overlap another suite's.
        static string? Argument(Type type, Type attribute, int index) => (string?)type.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType == attribute && (attribute != typeof(TraitAttribute) || (string?)a.ConstructorArguments[0].Value == Tier.Trait))
            ?.ConstructorArguments[index].Value;

        var processClasses = typeof(TierTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Processes.LabFixture).Namespace && t.GetMethods().Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToArray();
        Assert.NotEmpty(processClasses);
        Assert.All(processClasses, t =>
        {
            Assert.Equal(Tier.Processes, Argument(t, typeof(TraitAttribute), 1));
            Assert.Equal(Processes.LabCollection.Name, Argument(t, typeof(CollectionAttribute), 0));
        });
    }
}
