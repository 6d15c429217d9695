using Lab.Testing;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ScenarioLoaderTests
{
    private const string Valid = """
        # C1: a test scenario
        name: demo
        description: two variants
        claims: [C1, C6]
        server:
          minWorkerThreads: 10
        load:
          model: open
          phases:
            - inject: { ratePerS: 20, durationS: 2 }
            - ramp: { fromPerS: 20, toPerS: 40, durationS: 1 }
            - pause: { durationS: 1 }
        variants:
          - name: sync
            endpoint: /sync?delayMs=100
            server: { maxConnectionsPerServer: 12xCPU }
            env: { DOTNET_gcServer: "0" }
          - name: mixed
            mix:
              - { endpoint: /async?delayMs=100, weight: 1 }
              - { endpoint: /fast, weight: 3 }
            load:
              model: closed
              phases:
                - keepConcurrent: { users: 5, durationS: 2 }
        client:
          timeoutS: 5
          maxConnections: 50
        checks:
          - sync.latency.p99 > 2 * mixed.latency.p99
        """;

    private static Scenario Parse(string text) => ScenarioLoader.Parse(text, "demo.yaml", processorCount: 4);

    private static IReadOnlyList<ScenarioError> Errors(string text) =>
        Assert.Throws<ScenarioException>(() => Parse(text)).Errors;

    private const string Burst = """
        name: burst
        description: a burst that must overflow a queue
        params:
          ratePerS: { value: 300 }
          burstS: { value: 4, min: 0.5 }
          queue: { value: 600 }
        requires:
          - ratePerS * burstS > queue
        load:
          model: open
          phases:
            - inject: { ratePerS: ratePerS, durationS: burstS }
        variants:
          - name: one
            endpoint: /async?delayMs=100
        """;

    [Theory]
    [InlineData(null, 1, 1)]
    [InlineData(null, 5, 5)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 5, 5)]
    [InlineData(7, 5, 7)]
    public void A_scenarios_repeat_is_the_fewest_repetitions_and_repeat_asks_for_more_never_fewer(int? asked, int inFile, int runs)
    {
        var s = Parse(Valid.Replace("claims: [C1, C6]", $"claims: [C1, C6]\nrepeat: {inFile}", StringComparison.Ordinal));
        Assert.Equal(inFile, s.Repeat);
        Assert.Equal(runs, s.Repetitions(asked));
    }

    [Fact]
    public void A_scale_that_would_break_the_claims_condition_runs_at_the_shortest_length_that_keeps_it_and_says_so()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("lab-scale-").FullName, "burst.yaml");
        File.WriteAllText(file, Burst);

        // 300/s × 4 s × 0.3 = 360 does not overflow 600; 300 × 4 × s > 600 needs s > 0.5.
        var s = ScenarioLoader.LoadScaled(file, 0.3, null, out var used, out var note);
        Assert.InRange(used, 0.5, 0.52);
        Assert.Equal(4 * used, s.Parameters.Single(p => p.Name == "burstS").Value, 3);
        Assert.Contains("requires[0]", note, StringComparison.Ordinal);
        Assert.Contains("×0.51", note, StringComparison.Ordinal);

        // A scale that keeps the condition is used as asked, silently.
        ScenarioLoader.LoadScaled(file, 0.8, null, out used, out note);
        Assert.Equal((0.8, null), (used, note));

        // Parameters that break it at full length are the user's mistake: the error stands.
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadScaled(file, 0.3, new Dictionary<string, string> { ["queue"] = "5000" }, out _, out _));
        Assert.Contains(error.Errors, e => e.Path == "requires[0]");
    }

    [Fact]
    public void A_timeout_longer_than_the_drain_is_noted_before_the_run_and_a_shorter_one_is_not()
    {
        Assert.Empty(Lab.Client.Commands.ScenarioOptions.Notes(Parse(Valid)));
        var note = Assert.Single(Lab.Client.Commands.ScenarioOptions.Notes(Parse(Valid.Replace("timeoutS: 5", "timeoutS: 120", StringComparison.Ordinal))));
        Assert.Contains("client.timeoutS (120 s) is longer than client.drainS (30 s)", note, StringComparison.Ordinal);
        Assert.Contains("aborted, not timed out", note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_description_shows_its_formulas_worked_out_with_the_parameters_that_ran()
    {
        var text = Burst.Replace("description: a burst that must overflow a queue", "description: about {= ratePerS * burstS} requests, {ratePerS}/s", StringComparison.Ordinal);
        var s = ScenarioLoader.Parse(text, "burst.yaml", overrides: new Dictionary<string, string> { ["ratePerS"] = "250" });
        Assert.Equal("about 1000 requests, 250/s", s.Description);
    }

    [Theory]
    [InlineData("{= 1 + }", "found placeholder {= 1 + } — at column")]
    [InlineData("{= nope * 2}", "found unknown parameter \"nope\" in placeholder {= nope * 2}; expected a parameter of this scenario")]
    [InlineData("{= sync.latency.p99 * 2}", "found metric sync.latency.p99 in placeholder {= sync.latency.p99 * 2}; expected a formula over parameters only")]
    [InlineData("{= asink.latency.p99}", "found variant \"asink\" in placeholder")]
    [InlineData("{= ratePerS / (burstS - burstS)}", "; expected a formula that gives a finite number")]
    public void A_broken_formula_in_the_description_is_an_error_not_raw_text_in_the_report(string formula, string message)
    {
        var text = Burst.Replace("description: a burst that must overflow a queue", $"description: \"about {formula} requests\"", StringComparison.Ordinal)
            .Replace("  - name: one", "  - name: sync", StringComparison.Ordinal);
        var error = Assert.Single(Errors(text));
        Assert.Equal(("description", 2, 14), (error.Path, error.Line, error.Column));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("demo.yaml:2:14: description: found ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_file_resolves_overrides_defaults_and_per_variant_load()
    {
        var s = Parse(Valid);
        Assert.Equal(("demo", 2), (s.Name, s.Variants.Count));
        Assert.Equal("12xCPU", s.Variants[0].ServerKnobs["MaxConnectionsPerServer"]);
        Assert.Equal("10", s.Variants[0].ServerKnobs["MinWorkerThreads"]);
        Assert.Equal("10", s.Variants[1].ServerKnobs["MinWorkerThreads"]);
        Assert.Equal("0", s.Variants[0].Environment["DOTNET_gcServer"]);
        Assert.Equal(LoadModel.Open, s.Variants[0].Load.Model);
        Assert.Equal(4, s.Variants[0].Load.DurationS);
        Assert.Equal(LoadModel.Closed, s.Variants[1].Load.Model);
        Assert.Equal([1, 3], s.Variants[1].Endpoints.Select(e => e.Weight));
        Assert.Equal((5.0, 50, 3), (s.Client.TimeoutS, s.Client.MaxConnections!.Value, s.Client.WarmupRequests));
        Assert.Single(s.Checks);
    }

    [Theory]
    [InlineData("name: demo", "name: Demo Run", "name", "found \"Demo Run\"; expected lower-case letters")]
    [InlineData("claims: [C1, C6]", "claims: [C1, X6]", "claims[1]", "expected a claim id")]
    [InlineData("    - inject: { ratePerS: 20, durationS: 2 }", "    - inject: { ratePerS: abc, durationS: 2 }", "load.phases[0].inject.ratePerS", "found \"abc\"; expected a number from 0.001 to 100000")]
    [InlineData("    - inject: { ratePerS: 20, durationS: 2 }", "    - inject: { ratePerS: 20 }", "load.phases[0].inject.durationS", "found nothing")]
    [InlineData("    - inject: { ratePerS: 20, durationS: 2 }", "    - inject: { ratePerS: 20, durationS: 2, burst: 3 }", "load.phases[0].inject.burst", "unknown key \"burst\"")]
    [InlineData("    - inject: { ratePerS: 20, durationS: 2 }", "    - blast: { ratePerS: 20, durationS: 2 }", "load.phases[0]", "expected a phase kind: inject, ramp")]
    [InlineData("    - inject: { ratePerS: 20, durationS: 2 }", "    - keepConcurrent: { users: 20, durationS: 2 }", "load.phases[0]", "belongs to the closed model")]
    [InlineData("  model: open", "  model: bursty", "load.model", "found \"bursty\"; expected open")]
    [InlineData("    - ramp: { fromPerS: 20, toPerS: 40, durationS: 1 }", "    - ramp: { fromPerS: 0, toPerS: 0, durationS: 1 }", "load.phases[1].ramp", "a ramp from 0 to 0")]
    [InlineData("    - pause: { durationS: 1 }", "    - pause: { durationS: 7200 }", "load.phases[2].pause.durationS", "expected a number from 0.001 to 3600")]
    [InlineData("  minWorkerThreads: 10", "  minWorkerThreds: 10", "server.minWorkerThreds", "unknown setting \"minWorkerThreds\"")]
    [InlineData("  minWorkerThreads: 10", "  minWorkerThreads: -3", "server.minWorkerThreads", "expected an integer from 1 to 32767")]
    [InlineData("  minWorkerThreads: 10", "  sampleFile: /tmp/x", "server.sampleFile", "which the orchestrator sets itself")]
    [InlineData("server: { maxConnectionsPerServer: 12xCPU }", "server: { maxConnectionsPerServer: 12xGPU }", "variants[0].server.maxConnectionsPerServer", "per-core form")]
    [InlineData("    endpoint: /sync?delayMs=100", "    endpoint: sync?delayMs=100", "variants[0].endpoint", "starting with '/'")]
    [InlineData("    endpoint: /sync?delayMs=100", "    endpoint: /sync?delayMs=100\n    mix: []", "variants[0]", "both endpoint and mix")]
    [InlineData("  - name: mixed", "  - name: sync", "variants[1].name", "a second time")]
    [InlineData("  - name: mixed", "  - name: 2fast", "variants[1].name", "a letter then letters")]
    [InlineData("      - { endpoint: /fast, weight: 3 }", "      - { endpoint: /fast, weight: 0 }", "variants[1].mix[1].weight", "a whole number from 1 to 1000")]
    [InlineData("    env: { DOTNET_gcServer: \"0\" }", "    env: { \"DOTNET gcServer\": \"0\" }", "variants[0].env.DOTNET gcServer", "an environment variable name")]
    [InlineData("  timeoutS: 5", "  timeoutS: 5\n  retries: 3", "client.retries", "unknown key \"retries\"")]
    [InlineData("  maxConnections: 50", "  maxConnections: 2.5", "client.maxConnections", "a whole number")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.latency.p99 > 2 * asink.latency.p99", "checks[0]", "variant \"asink\"")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.latency.p42 > 1", "checks[0]", "unknown metric \"latency.p42\"")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.latency.p99 >> 1", "checks[0]", "at column")]
    [InlineData("description: two variants", "descripton: two variants", "descripton", "unknown key")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nsuite: nightly", "suite", "found \"nightly\"; expected quick")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C9: { measured: y }", "evidence.C9", "one of this scenario's claims")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C1: { chart: latency }", "evidence.C1.measured", "found nothing")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C1: { measured: \"p99 {sync.latency.p98}\" }", "evidence.C1.measured", "unknown metric \"latency.p98\" in placeholder")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - { check: \"sync.latency.p99 > 1\", claim: C7 }", "checks[0].claim", "one of this scenario's claims: C1, C6")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C1: { measured: y, chart: pie }", "evidence.C1.chart", "found \"pie\"; expected a chart of the report")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - { claim: C1, qualifies: x }", "checks[0].check", "found nothing")]
    [InlineData("  minWorkerThreads: 10", "  minWorkerThreads: 500\n  maxWorkerThreads: 10", "variants[0].server.minWorkerThreads", "MinWorkerThreads = 500 is above MaxWorkerThreads = 10")]
    [InlineData("  minWorkerThreads: 10", "  queueLimit: 10", "variants[0].server.queueLimit", "the queue belongs to the concurrency limiter")]
    [InlineData("name: demo", "name: demo-" + "x", "", "")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C99]", "claims[1]", "not in the claims catalogue")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C1: { measured: \"p99 {sync.latency.p99} ms over 500 ms\" }", "evidence.C1.measured", "the bare number \"500\"")]
    [InlineData("claims: [C1, C6]", "claims: [C1, C6]\nevidence:\n  C1: { measured: \"HTTP 503 from .NET 10, p99 {sync.latency.p99} ms\" }", "", "")]
    [InlineData("    endpoint: /sync?delayMs=100", "    endpoint: /sync?delayMs={delay}", "variants[0].endpoint", "placeholder {delay} with no value")]
    [InlineData("  timeoutS: 5", "  timeoutS: slowness", "client.timeoutS", "found \"slowness\"; expected a number from 0.1 to 3600, or an expression")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.latency.p99 > 2 * delayMs", "checks[0]", "unknown parameter \"delayMs\"")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.drain.queue.max > 0", "", "")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.drain.latency.p99 > 0", "checks[0]", "unknown metric \"drain.latency.p99\"")]
    [InlineData("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - { check: \"sync.latency.p99 > 1\", qualifies: \"{nosuch.latency.p99} ms\" }", "checks[0].qualifies", "variant \"nosuch\"")]
    public void Each_kind_of_mistake_names_the_field_what_was_found_and_what_was_expected(string find, string replace, string path, string message)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        if (path.Length == 0)
        {
            // A change that must still validate.
            Parse(Valid.Replace(find, replace, StringComparison.Ordinal));
            return;
        }

        var errors = Errors(Valid.Replace(find, replace, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal("demo.yaml", e.File));
    }

    [Fact]
    public void Checks_can_name_their_claim_and_qualify_a_verdict()
    {
        var s = Parse(Valid.Replace("  - sync.latency.p99 > 2 * mixed.latency.p99", "  - sync.latency.p99 > 2 * mixed.latency.p99\n  - { check: \"sync.threads.max < 50\", claim: C6, qualifies: \"only {sync.threads.max} threads\" }", StringComparison.Ordinal)
            .Replace("claims: [C1, C6]", "claims: [C1, C6]\nsuite: quick\nevidence:\n  C1: { measured: \"p99 {sync.latency.p99} ms\" }", StringComparison.Ordinal));
        Assert.Equal("quick", s.Suite);
        Assert.Equal(2, s.Checks.Count);
        Assert.Equal(new CheckRole(null, null), s.CheckRoles[0]);
        Assert.Equal(new CheckRole("C6", "only {sync.threads.max} threads"), s.CheckRoles[1]);
        Assert.Equal("p99 {sync.latency.p99} ms", s.Evidence["C1"].Measured);
    }

    [Fact]
    public void A_text_template_can_name_the_runtime_that_ran_and_nothing_else_can()
    {
        var withRuntime = Valid.Replace("  - sync.latency.p99 > 2 * mixed.latency.p99",
            "  - sync.latency.p99 > 2 * mixed.latency.p99\n  - { check: \"sync.threads.max < 50\", qualifies: \"on {runtime} only {sync.threads.max} threads\" }", StringComparison.Ordinal);
        Assert.Equal("on {runtime} only {sync.threads.max} threads", Parse(withRuntime).CheckRoles[1].Qualifies);
        // Not a parameter: a description has nothing to fill it with, and no parameter may take the name.
        Assert.Contains(Errors(Valid.Replace("description: two variants", "description: on {runtime}", StringComparison.Ordinal)),
            e => e.Path == "description" && e.Message.Contains("{runtime} with no value", StringComparison.Ordinal));
        Assert.Contains(Errors(Valid.Replace("claims: [C1, C6]", "claims: [C1, C6]\nparams:\n  runtime: 10", StringComparison.Ordinal)),
            e => e.Path == "params.runtime");
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_line()
    {
        var text = Valid
            .Replace("claims: [C1, C6]", "claims: [C1, C99]", StringComparison.Ordinal)
            .Replace("ratePerS: 20, durationS: 2", "ratePerS: -1, durationS: 2", StringComparison.Ordinal)
            .Replace("  timeoutS: 5", "  timeoutS: 0", StringComparison.Ordinal);
        var errors = Errors(text);
        Assert.Equal(3, errors.Count);
        var rate = errors.Single(e => e.Path == "load.phases[0].inject.ratePerS");
        Assert.Equal(10, rate.Line);
        Assert.StartsWith("demo.yaml:10:", rate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: [unclosed", "is not valid YAML")]
    [InlineData("- just\n- a list", "found no mapping at the top")]
    [InlineData("name: x\ndescription: y\nclaims: [C1]\nvariants:\n  - name: a\n    endpoint: /fast", "a load profile here or at the top")]
    [InlineData("name: x\ndescription: y\nclaims: [C1]\nload: { model: open, phases: [] }\nvariants: []", "a non-empty list")]
    public void Broken_files_are_explained(string text, string message)
    {
        Assert.Contains(Errors(text), e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_an_error_not_a_crash()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("/no/such/scenario.yaml"));
        Assert.Contains("cannot be read", ex.Errors[0].Message, StringComparison.Ordinal);
    }
}
