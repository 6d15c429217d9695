using Lab.Client.ClientBench;
using Lab.Client.Commands;
using Lab.Client.Recording;
using Lab.Client.Tests.Reports;
using Lab.Testing;

namespace Lab.Client.Tests.ClientBench;

/// <summary>client-bench's pure parts: its arguments, how it reads the client's seconds, its goals, its files.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ClientBenchTests
{
    [Theory]
    [InlineData(new string[0], "100 500 1000 2000 4000 8000 12000 16000")]
    [InlineData(new[] { "100", "500" }, "100 500")]
    [InlineData(new[] { "100,500", "2000" }, "100 500 2000")]
    [InlineData(new[] { " 1 , 100000 " }, "1 100000")]
    public void Rates_are_read_space_or_comma_separated(string[] tokens, string expected)
    {
        var (rates, error) = ClientBenchCommand.ParseRates(tokens);
        Assert.Null(error);
        Assert.Equal(expected, string.Join(' ', rates!));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("fast")]
    [InlineData("NaN")]
    [InlineData("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21")]
    public void Rates_out_of_bounds_or_too_many_are_refused_with_a_reason(string token)
    {
        var (rates, error) = ClientBenchCommand.ParseRates([token]);
        Assert.Null(rates);
        Assert.StartsWith("--rates:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Steady_seconds_leave_out_the_first_and_the_last_second_of_the_load()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lab-bench-").FullName, "client-metrics.csv");
        using (var metrics = new ClientMetricsWriter(path))
        {
            for (var s = 0; s < 12; s++) metrics.Write("fast", s, 1000, 1000, 0, s is 0 or >= 9 ? 1 : 1000, 0, 0.1, 0.2);
        }

        var seconds = ClientMetricsRows.Read(path);
        Assert.Equal(12, seconds.Count);
        var (achieved, _) = ClientMetricsRows.Steady(seconds, durationS: 10);
        Assert.Equal(1000, achieved); // seconds 1–8 only
    }

    [Fact]
    public void Goals_are_met_when_every_rate_keeps_its_lag_and_the_client_costs_no_more_than_hey()
    {
        var goals = BenchGoals.Judge(Report(lagAt16k: 0.9, dropped: 0, clientCpu: 30, heyCpu: 35, firstSecond: 60), 8_000);
        Assert.All(goals, g => Assert.True(g.Met, g.Goal + ": " + g.Measured));
        Assert.Contains("the worst p99 was 0.9 ms at 16,000/s", goals[0].Measured, StringComparison.Ordinal);
        Assert.Contains("lab-client 30 ms per 1,000 requests against hey's 35 ms (0.86×)", goals[1].Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Goals_not_met_say_where_with_the_numbers()
    {
        var goals = BenchGoals.Judge(Report(lagAt16k: 2.5, dropped: 12, clientCpu: 40, heyCpu: 35, firstSecond: 150), 8_000);
        Assert.All(goals, g => Assert.False(g.Met, g.Goal));
        Assert.Equal("not met at 16,000/s (p99 2.5 ms, 12 dropped); met at 1 of 2 rates", goals[0].Measured);
        Assert.Contains("(2.50×)", goals[2].Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_hey_the_cpu_goal_is_not_judged_and_says_how_to_install_it()
    {
        var report = Report(0.5, 0, 30, 35, 60);
        report = report with { Rows = [.. report.Rows.Where(r => r.Tool == "lab-client")] };
        var cpu = BenchGoals.Judge(report, 8_000)[1];
        Assert.Null(cpu.Met);
        Assert.Contains(ToolRows.InstallHint, cpu.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_file_reads_back_as_written()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lab-bench-").FullName, ClientBenchReport.JsonFileName);
        var report = Report(0.5, 0, 30, 35, 60);
        report.Write(path);
        var back = ClientBenchReport.Read(path);
        Assert.Equal(report.DispatcherScheduling, back.DispatcherScheduling);
        Assert.Equal(report.Rows, back.Rows);
        Assert.Equal(report.Closed, back.Closed);
        Assert.Equal(report.Notes, back.Notes);
    }

    [Fact]
    public void The_markdown_matches_its_golden_file()
    {
        var report = Report(0.5, 0, 30, 35, 60);
        Golden.Match("client-bench.md", ClientBenchMarkdownWriter.Render(report, BenchGoals.Judge(report, 8_000)));
    }

    private static ClientBenchReport Report(double lagAt16k, long dropped, double clientCpu, double heyCpu, double firstSecond) => new(
        ClientBenchReport.CurrentVersion,
        new DateTimeOffset(2026, 11, 22, 20, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 22, 20, 5, 0, TimeSpan.Zero),
        "Test CPU", 2, "Linux", ".NET 10.0.0", "./run-lab.sh client-bench", "/lab/Lab.Client.dll", "nice -5, 0.1 ms slice, 1 µs timer slack", 10,
        [
            new BenchRow("lab-client", "open", 8_000, 8_000, 0.25, 0.6, 2.1, 0, clientCpu, false, 1.2, "dotnet Lab.Client.dll run scenarios/open-8000.yaml", StealPct: 0.4),
            new BenchRow("lab-client", "open", 16_000, 15_990, 0.27, lagAt16k, 9.5, dropped, 28, dropped > 0, 1.4, "dotnet Lab.Client.dll run scenarios/open-16000.yaml"),
            new BenchRow("wrk -t2 -c64", "closed", null, 90_000, null, null, null, null, 6.5, false, 1.5, "wrk -t2 -c64 -d10s http://127.0.0.1:1/fast"),
            new BenchRow("hey -c64 -q 125", "closed", 8_000, 7_990, null, null, null, null, heyCpu, false, 1.5, "hey -z 10s -c 64 -q 125 http://127.0.0.1:1/fast"),
        ],
        [new ClosedRow("fresh server", 200, "/async?delayMs=50", 10, 2_000, firstSecond, 30_000, 60, 55, 1.1, "dotnet Lab.Client.dll run scenarios/closed-fresh.yaml")],
        ["A note."]);
}
