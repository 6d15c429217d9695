using Lab.Testing;
using Lab.Client.Claims;
using Lab.Client.Reports;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Reports;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ClaimsReportTests
{
    private static (Scenario, RunReport) Run(string checksJson, params string[] claims) => Run(checksJson, 1, claims);

    private static (Scenario, RunReport) Run(string checksJson, int repetitions, params string[] claims)
    {
        var report = RunReport.Build(FixtureRun.Create(checksJson, repetitions: repetitions, claims: $"[{string.Join(", ", claims)}]"));
        var scenario = new Scenario
        {
            Name = "fixture",
            Description = "",
            Claims = claims,
            BackendKnobs = new Dictionary<string, string>(),
            ServerKnobs = new Dictionary<string, string>(),
            Variants = [],
            Client = new ClientOptions(),
            Checks = [],
            SourcePath = "fixture.yaml",
            SourceText = "",
            Evidence = claims.ToDictionary(c => c, c => new ClaimEvidence("slow p99 {slow.latency.p99} ms vs fast {fast.latency.p99} ms")),
        };
        return (scenario, report);
    }

    private static ClaimRow Row(IReadOnlyList<ClaimRow> rows, string id) => rows.Single(r => r.Claim.Id == id);

    private static string C1Folder(IReadOnlyList<ClaimRow> rows) => Path.GetDirectoryName(Path.Combine("/tmp", Row(rows, "C1").Reports[0].ReportPath))!;

    [Fact]
    public void A_claim_whose_effect_checks_all_hold_is_reproduced_and_its_measured_text_carries_the_numbers()
    {
        var rows = ClaimsReport.Rows([Run("""["slow.latency.p99 > 5 * fast.latency.p99"]""", "C1")], "/tmp");
        var c1 = Row(rows, "C1");
        Assert.Equal(Verdicts.Reproduced, c1.Verdict);
        Assert.Equal("slow p99 2400 ms vs fast 50 ms", c1.Measured);
        Assert.Equal($"{ClaimCatalog.Find("C1")!.Says} [S003]", c1.Says);
        Assert.Equal([Path.Combine(Path.GetRelativePath("/tmp", C1Folder(rows)), "latency.png")], c1.ChartPaths);
    }

    [Fact]
    public void A_holding_qualification_makes_it_reproduced_with_qualification_in_numbers()
    {
        var rows = ClaimsReport.Rows([Run("""["slow.latency.p99 > 5 * fast.latency.p99", {"check": "slow.threads.max < 50", "qualifies": "only {slow.threads.max} threads"}]""", "C1")], "/tmp");
        var c1 = Row(rows, "C1");
        Assert.Equal(Verdicts.Qualified, c1.Verdict);
        Assert.Equal(["only 8 threads"], c1.Qualifications);
    }

    [Fact]
    public void Verdicts_follow_the_measurements_not_the_text()
    {
        // The same claim, the same words: only the numbers decide.
        var none = Row(ClaimsReport.Rows([Run("""["slow.latency.p99 < fast.latency.p99", "slow.count.ok == 0"]""", "C1")], "/tmp"), "C1");
        var some = Row(ClaimsReport.Rows([Run("""["slow.latency.p99 > fast.latency.p99", "slow.count.ok == 0"]""", "C1")], "/tmp"), "C1");
        Assert.Equal(Verdicts.NotReproduced, none.Verdict);
        Assert.Equal(Verdicts.Qualified, some.Verdict);
        Assert.Single(some.FailedChecks);
        Assert.Contains("slow.count.ok == 0 [20 == 0", some.FailedChecks[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_count_only_for_the_claim_they_name()
    {
        var rows = ClaimsReport.Rows([Run("""[{"check": "slow.latency.p99 > 1", "claim": "C1"}, {"check": "slow.latency.p99 < 1", "claim": "C6"}]""", "C1", "C6")], "/tmp");
        Assert.Equal(Verdicts.Reproduced, Row(rows, "C1").Verdict);
        Assert.Equal(Verdicts.NotReproduced, Row(rows, "C6").Verdict);
    }

    [Fact]
    public void Every_catalogued_claim_gets_a_row_and_inapplicable_ones_say_why()
    {
        var rows = ClaimsReport.Rows([Run("""["slow.latency.p99 > 1"]""", "C1")], "/tmp");
        Assert.Equal(ClaimCatalog.All.Count, rows.Count);
        Assert.Equal(Verdicts.NotRun, Row(rows, "C2").Verdict);
        var windows = Row(rows, "—");
        Assert.Equal(Verdicts.NotApplicable, windows.Verdict);
        Assert.Contains("Kestrel on Linux", windows.Measured, StringComparison.Ordinal);
        var md = ClaimsWriters.Markdown(rows, "t", "Machine: fixture");
        Assert.Contains($"| C1 | {ClaimCatalog.Find("C1")!.Says} [S003] | slow p99 2400 ms vs fast 50 ms | **reproduced** |", md, StringComparison.Ordinal);
        Assert.Contains("*not applicable*: the claim is about a platform the lab does not run", md, StringComparison.Ordinal);
    }

    [Fact]
    public void With_repetitions_the_measured_text_shows_each_numbers_range_and_the_row_its_wall_time()
    {
        // Repetition r scales latencies by r: slow p99 2400, 4800, 7200; fast p99 50, 100, 150.
        var rows = ClaimsReport.Rows([Run("""["slow.latency.p99 > 5 * fast.latency.p99"]""", 3, "C1")], "/tmp");
        var c1 = Row(rows, "C1");
        Assert.Equal("slow p99 4800 [2400–7200] ms vs fast 100 [50–150] ms", c1.Measured);
        Assert.Equal("3/3", c1.Stability);
        // run.json says 08:00:00 to 08:00:10.
        Assert.Equal(10, c1.WallTimeS);
        Assert.Contains("(wall time 10 s)", ClaimsWriters.Markdown(rows, "t", "m"), StringComparison.Ordinal);
        Assert.Contains("[min–max]", ClaimsWriters.Markdown(rows, "t", "m"), StringComparison.Ordinal);
        var file = ClaimsFile.Read(WriteTemp(ClaimsWriters.Json(rows, "t", "m")));
        Assert.Equal(10, file.Claims.Single(r => r.Id == "C1").WallTimeS);
        Assert.Null(file.Claims.Single(r => r.Id == "C6").WallTimeS);
    }

    private static string WriteTemp(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lab-claims-").FullName, "claims.json");
        File.WriteAllText(path, text);
        return path;
    }
}

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ClaimsChartTests
{
    [Theory]
    [InlineData("20261122T010146Z-c1-burst/queues.svg", "20261122T010146Z-c1-burst/report.html#queues", "20261122T010146Z-c1-burst/queues.png")]
    [InlineData("../runs/x/outcomes-shortQueue.svg", "../runs/x/report.html#outcomes-shortQueue", "../runs/x/outcomes-shortQueue.png")]
    [InlineData("latency.svg", "report.html#latency", "latency.png")]
    public void A_claims_chart_opens_its_figure_in_the_report_and_shows_its_png(string chartPath, string page, string thumbnail)
    {
        Assert.Equal((page, thumbnail), ClaimsWriters.ChartLinks(chartPath));
    }

    [Fact]
    public void The_claims_page_shows_a_thumbnail_that_resolves_from_the_suite_folder_and_links_the_figure()
    {
        // A suite folder with its run inside, as `suite` writes it; the page must work opened from disk.
        var suite = Directory.CreateTempSubdirectory("lab-suite-").FullName;
        var fixture = FixtureRun.Create();
        var run = Path.Combine(suite, "20270115T080000Z-fixture");
        Directory.Move(fixture, run);
        var report = ReportWriter.Write(run);
        var scenario = new Scenario
        {
            Name = "fixture", Description = "", Claims = ["C1"], BackendKnobs = new Dictionary<string, string>(), ServerKnobs = new Dictionary<string, string>(),
            Variants = [], Client = new ClientOptions(), Checks = [], SourcePath = "fixture.yaml", SourceText = "",
            Evidence = new Dictionary<string, ClaimEvidence> { ["C1"] = new("slow p99 {slow.latency.p99} ms", "queues") },
        };
        var rows = ClaimsReport.Rows([(scenario, report)], suite);
        var html = ClaimsWriters.Html(rows, "t", Lab.Client.Commands.SuiteCommand.Describe(report.Run.Manifest.Machine));

        var img = System.Text.RegularExpressions.Regex.Match(html, "<img class=\"thumb\" src=\"([^\"]+)\"");
        Assert.True(img.Success, "no thumbnail");
        Assert.Equal("20270115T080000Z-fixture/queues.png", img.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(suite, img.Groups[1].Value)));
        var link = System.Text.RegularExpressions.Regex.Match(html, "<a class=\"chart\" href=\"([^\"#]+)#([^\"]+)\"");
        Assert.Equal(("20270115T080000Z-fixture/report.html", "queues"), (link.Groups[1].Value, link.Groups[2].Value));
        Assert.Contains("<figure id=\"queues\">", File.ReadAllText(Path.Combine(suite, link.Groups[1].Value)), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"20270115T080000Z-fixture/queues.svg\"", html, StringComparison.Ordinal);
        // The full machine description, the processor's model included.
        Assert.Contains($"Machine: fixture-host, Debian GNU/Linux 12, X64, {FixtureRun.FixtureCpu}, 2 cores, 24 GiB; .NET 10.0.12; lab commit 0123456789ab.", html, StringComparison.Ordinal);
        Assert.Contains("<dt>reproduced</dt>", html, StringComparison.Ordinal);
        Assert.Contains("[chart](20270115T080000Z-fixture/report.html#queues)", ClaimsWriters.Markdown(rows, "t", "m"), StringComparison.Ordinal);
    }
}

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ClaimsReportBenchmarkLinkTests
{
    [Fact]
    public void Claims_the_benchmarks_bear_on_link_their_tables_and_the_others_do_not()
    {
        var rows = ClaimsReport.Rows([], "/r/20261122T000000Z-suite-quick", "/r/20261122T010000Z-bench/bench.md");

        var c9 = rows.Single(r => r.Claim.Id == "C9");
        Assert.Contains("../20261122T010000Z-bench/bench.md#cpuboundcallbenchmarks", c9.BenchmarkPaths!);
        Assert.Contains("../20261122T010000Z-bench/bench.md#apmbridgebenchmarks", rows.Single(r => r.Claim.Id == "C12").BenchmarkPaths!);
        Assert.Empty(rows.Single(r => r.Claim.Id == "C1").BenchmarkPaths!);
        Assert.Contains("[benchmark: cpuboundcall](../20261122T010000Z-bench/bench.md#cpuboundcallbenchmarks)", ClaimsWriters.Markdown(rows, "t", "m"), StringComparison.Ordinal);
        Assert.Contains("href=\"../20261122T010000Z-bench/bench.md#cpuboundcallbenchmarks\"", ClaimsWriters.Html(rows, "t", "m"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_benchmark_run_no_claim_links_one() =>
        Assert.All(ClaimsReport.Rows([], "/r/suite"), r => Assert.Empty(r.BenchmarkPaths ?? []));

    [Fact]
    public void A_claim_whose_scenario_an_interrupted_suite_never_reached_says_so_instead_of_no_scenario()
    {
        static Scenario Of(string name, string claim) => new()
        {
            Name = name, Description = "", Claims = [claim], BackendKnobs = new Dictionary<string, string>(), ServerKnobs = new Dictionary<string, string>(),
            Variants = [], Client = new ClientOptions(), Checks = [], SourcePath = name + ".yaml", SourceText = "",
        };
        var rows = ClaimsReport.Rows([], "/r/suite", notReached: [Of("c1-burst", "C1"), Of("c3-queue-503", "C3")]);
        static ClaimRow Row(IReadOnlyList<ClaimRow> rows, string id) => rows.Single(r => r.Claim.Id == id);

        Assert.Equal((Verdicts.NotRun, "the suite was interrupted before c3-queue-503 ran"), (Row(rows, "C3").Verdict, Row(rows, "C3").Measured));
        Assert.Contains("interrupted before c1-burst", Row(rows, "C1").Measured, StringComparison.Ordinal);
        Assert.Equal("no scenario of this suite tests it (see --all)", Row(rows, "C6").Measured);
    }
}
