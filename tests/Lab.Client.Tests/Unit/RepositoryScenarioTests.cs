using Lab.Testing;
using System.Text.Json;
using Lab.Client.Running;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Tests.Unit;

/// <summary>The scenario files in the repository, and the JSON Schema editors use, agree with the loader.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class RepositoryScenarioTests
{
    private static readonly string s_root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)!;
    private static readonly JsonElement s_schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_root, "scenarios", "scenario.schema.json"))).RootElement;

    public static TheoryData<string> ScenarioFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(s_root, "scenarios"), "*.yaml", SearchOption.AllDirectories)) data.Add(Path.GetRelativePath(s_root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_scenario_in_the_repository_is_valid_and_says_what_it_tests_and_how_to_run_it(string file)
    {
        var path = Path.Combine(s_root, file);
        var scenario = ScenarioLoader.Load(path);
        if (scenario.Suite != "none")
        {
            // A suite scenario must say, for every claim, what the source says and what to report as measured.
            Assert.Equal(scenario.Claims.Order(), scenario.Evidence.Keys.Order());
            Assert.Contains(scenario.CheckRoles, r => r.Qualifies is null);
        }

        var lines = File.ReadLines(path).Take(2).ToArray();
        Assert.Matches("^# C[0-9]+", lines[0]);
        Assert.Contains("run-lab.sh", lines[1], StringComparison.Ordinal);
    }

    private static string[] Props(JsonElement obj) => obj.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();

    [Fact]
    public void The_schema_lists_exactly_the_keys_the_loader_accepts()
    {
        var defs = s_schema.GetProperty("definitions");
        Assert.Equal(ScenarioKeys.Top.Order(), Props(s_schema));
        Assert.Equal(ScenarioKeys.Variant.Order(), Props(defs.GetProperty("variant")));
        Assert.Equal(ScenarioKeys.Load.Order(), Props(defs.GetProperty("load")));
        Assert.Equal(ScenarioKeys.Client.Order(), Props(s_schema.GetProperty("properties").GetProperty("client")));
        Assert.Equal(ScenarioKeys.MixItem.Order(), Props(defs.GetProperty("variant").GetProperty("properties").GetProperty("mix").GetProperty("items")));
        Assert.Equal(ScenarioKeys.Evidence.Order(), Props(s_schema.GetProperty("properties").GetProperty("evidence").GetProperty("additionalProperties")));
        Assert.Equal(ScenarioKeys.CheckItem.Order(), Props(s_schema.GetProperty("properties").GetProperty("checks").GetProperty("items").GetProperty("oneOf")[1]));
        Assert.Equal(ScenarioKeys.Suites.Order(), s_schema.GetProperty("properties").GetProperty("suite").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order());
        var phases = defs.GetProperty("load").GetProperty("properties").GetProperty("phases").GetProperty("items").GetProperty("oneOf").EnumerateArray()
            .Select(p => p.GetProperty("properties").EnumerateObject().Single())
            .ToDictionary(p => p.Name, p => Props(p.Value));
        Assert.Equal(ScenarioKeys.Phases.Keys.Order(), phases.Keys.Order());
        foreach (var (kind, parameters) in ScenarioKeys.Phases) Assert.Equal(parameters.Order(), phases[kind]);
    }

    [Fact]
    public void The_schema_lists_exactly_the_server_knobs_a_scenario_may_set()
    {
        var expected = ServerKnobs.All.Where(k => !k.SetByOrchestrator).Select(k => char.ToLowerInvariant(k.Name[0]) + k.Name[1..]).Order();
        Assert.Equal(expected, Props(s_schema.GetProperty("properties").GetProperty("server")));
        Assert.Equal(expected, Props(s_schema.GetProperty("properties").GetProperty("backend")));
    }
}
