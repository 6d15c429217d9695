using System.Text.Json;
using Lab.Client.Sweeps;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>A real sweep: two cells, interrupted in the second, resumed, reported.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class SweepRunTests
{
    // One connection at 100 ms serves 10/s of the 40/s offered, so that cell cannot keep its tail within 3 × the delay;
    // unlimited connections can. The capped cell runs second and takes long enough to be interrupted.
    private const string TwoCaps = """
        name: tiny-sweep
        description: 40 requests/s for {burstS} s over {delayMs} ms, with one backend connection or unlimited
        claims: []
        params:
          delayMs: 100
          ratePerS: 40
          burstS: 3
        load:
          model: open
          phases:
            - inject: { ratePerS: ratePerS, durationS: burstS }
        variants:
          - name: async
            endpoint: /async?delayMs={delayMs}
        client: { timeoutS: 10, drainS: 10 }
        sweep:
          grid:
            maxConnectionsPerServer: [unlimited, 1]
          objective:
            maximize: throughput.mean
            subjectTo: [latencyWithTimeouts.p99 <= 3 * delayMs]
          model: { style: awaiting, delayMs: delayMs }
          maxMinutes: 5
        """;

    private static JsonElement Cell(string folder, string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, SweepFile.FileName)));
        return doc.RootElement.GetProperty("cells").EnumerateArray().First(c => c.GetProperty("id").GetString() == id).Clone();
    }

    [Fact]
    public async Task An_interrupted_sweep_keeps_its_cells_says_it_is_incomplete_and_resumes_to_a_recommendation_when_run_again_into_its_folder()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, TwoCaps);
        var results = Path.Combine(dir, "results");

        using (var client = Processes.StartClient("sweep", scenario, "--out", results, "--progress", "plain"))
        {
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            // Interrupt once the second cell's variant is running: the first is complete by then.
            Assert.True(await Eventually.TrueAsync(() => Directory.Exists(results) && Directory.GetDirectories(results).Length == 1, TimeSpan.FromMinutes(1)), "no sweep folder appeared");
            var sweepFolder = Directory.GetDirectories(results).Single();
            var (_, run) = await Processes.WaitForRunningAsync(Path.Combine(sweepFolder, "cells", "cell-02"), TimeSpan.FromMinutes(2))
                .WaitAsync(TimeSpan.FromMinutes(2));
            Processes.Signal(client.Id, "TERM");
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(client.ExitCode == 1, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.True(await Processes.GoneWithinAsync(Processes.Pids(run), TimeSpan.FromSeconds(15)), "the servers of the interrupted cell are still running");
            Assert.Contains("--resume", await stdout, StringComparison.Ordinal);
        }

        var folder = Directory.GetDirectories(results).Single();
        Assert.Matches("sweep-tiny-sweep$", folder);
        Assert.Equal(SweepRunner.Complete, Cell(folder, "cell-01").GetProperty("status").GetString());
        Assert.Equal(SweepRunner.Interrupted, Cell(folder, "cell-02").GetProperty("status").GetString());
        var firstRun = Cell(folder, "cell-01").GetProperty("run").GetString()!;
        var interruptedRun = Cell(folder, "cell-02").GetProperty("run").GetString()!;
        var partial = await File.ReadAllTextAsync(Path.Combine(folder, "sweep.md"));
        Assert.Contains("INCOMPLETE", partial, StringComparison.Ordinal);
        Assert.Contains("cell-02 interrupted", partial, StringComparison.Ordinal);

        // A changed scenario is refused in that folder (its cells would not compare), and nothing in it changes.
        var changed = Path.Combine(dir, "changed.yaml");
        await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(scenario)).Replace("burstS: 3", "burstS: 2", StringComparison.Ordinal));
        var before = await File.ReadAllTextAsync(Path.Combine(folder, SweepFile.FileName));
        using (var client = Processes.StartClient("sweep", changed, "--out", folder, "--progress", "none"))
        {
            var stderr = client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(2, client.ExitCode);
            Assert.Contains("different scenario text", await stderr, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(folder, SweepFile.FileName)));
        }

        // The same sweep run again into the same folder continues it, and says so; no new sweep folder appears.
        using (var client = Processes.StartClient("sweep", scenario, "--out", folder, "--progress", "none"))
        {
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.Contains($"Continuing the sweep in {folder}", await stdout, StringComparison.Ordinal);
            Assert.Contains("1 of 2 cells already measured and kept, 1 to run", await stdout, StringComparison.Ordinal);
        }

        Assert.Equal([folder], Directory.GetDirectories(results));

        // The complete cell was kept as it was; the interrupted one ran again beside its partial run, which is kept too.
        Assert.Equal(firstRun, Cell(folder, "cell-01").GetProperty("run").GetString());
        Assert.NotEqual(interruptedRun, Cell(folder, "cell-02").GetProperty("run").GetString());
        Assert.True(Directory.Exists(Path.Combine(folder, interruptedRun)), "the interrupted cell's data was deleted");

        var report = SweepReport.Build(folder);
        Assert.True(report.Complete);
        Assert.All(report.Cells, c => Assert.Equal(SweepRunner.Complete, c.Status));
        var unlimited = report.Cells[0];
        var capped = report.Cells[1];
        // Physics, not thresholds: one connection serves at most 1000 / delay per second; unlimited keeps up.
        Assert.True(capped.Metric("async", "throughput.mean") <= 1.2 * 1000 / 100, $"capped goodput {capped.Metric("async", "throughput.mean")}");
        Assert.True(unlimited.Metric("async", "throughput.mean") > 2 * capped.Metric("async", "throughput.mean"));
        Assert.Equal("cell-01", report.Recommendation?.Id);
        Assert.False(capped.Feasible);
        // The model was made before the cells ran, and agrees with the capped cell's ceiling.
        Assert.NotNull(capped.Model);
        Assert.InRange(capped.Model!.Predicted["throughput.mean"], 5, 12);

        var md = await File.ReadAllTextAsync(Path.Combine(folder, "sweep.md"));
        Assert.Contains("maxConnectionsPerServer=unlimited", md, StringComparison.Ordinal);
        Assert.Contains("Status: complete", md, StringComparison.Ordinal);
        Assert.Contains($"[cell-01]({firstRun}/report.html)", md, StringComparison.Ordinal);
        Assert.Contains("| throughput.mean error |", md, StringComparison.Ordinal);
        Assert.Equal(ModelError.Of("throughput.mean", capped.Model.Predicted["throughput.mean"], capped.Metric("async", "throughput.mean")), capped.ModelErrorOf("throughput.mean")!.Error, 9);

        // --resume still works: on a complete sweep it runs nothing and rewrites the report.
        using (var client = Processes.StartClient("sweep", "--resume", folder, "--progress", "none"))
        {
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(client.ExitCode == 0, $"exit {client.ExitCode}\n{await stdout}\n{await stderr}");
            Assert.Contains("2 of 2 cells already measured and kept, 0 to run", await stdout, StringComparison.Ordinal);
        }

        Assert.Equal(firstRun, Cell(folder, "cell-01").GetProperty("run").GetString());
        var csv = await File.ReadAllLinesAsync(Path.Combine(folder, "sweep.csv"));
        // A header, and one row per run: cell-01, the interrupted cell-02 is not in sweep.json any more, the new cell-02.
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("cell,maxConnectionsPerServer,variant,repetition,status,", csv[0], StringComparison.Ordinal);
        // Charts: each key metric against the one swept knob, measured and modelled, and the frontier; SVG inline, PNG beside.
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "sweep.html"));
        foreach (var id in new[] { "sweep-maxConnectionsPerServer-throughput-mean", "sweep-maxConnectionsPerServer-latency-p99", "sweep-frontier" })
        {
            Assert.True(new FileInfo(Path.Combine(folder, id + ".png")) is { Exists: true, Length: > 1000 }, $"{id}.png");
            Assert.Contains($"<figure id=\"{id}\"><svg", html, StringComparison.Ordinal);
        }

        var goodput = await File.ReadAllTextAsync(Path.Combine(folder, "sweep-maxConnectionsPerServer-throughput-mean.svg"));
        Assert.Contains("model (predicted before the run)", goodput, StringComparison.Ordinal);
        Assert.Contains("recommended (cell-01)", goodput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_shows_the_plan_and_the_model_and_runs_nothing()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, TwoCaps);
        using var client = Processes.StartClient("sweep", scenario, "--dry-run", "--out", Path.Combine(dir, "results"));
        var stdout = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, client.ExitCode);
        Assert.Contains("2 cells × 1 variant × 1 repetition = 2 runs", stdout, StringComparison.Ordinal);
        Assert.Contains("cell-02", stdout, StringComparison.Ordinal);
        Assert.Contains("throughput.mean", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "results")), "a dry run wrote results");
    }

    [Fact]
    public async Task A_plan_over_its_time_limit_is_refused_with_the_estimate()
    {
        var dir = Processes.NewFolder();
        var scenario = Processes.WriteScenario(dir, TwoCaps);
        using var client = Processes.StartClient("sweep", scenario, "--max-minutes", "0.1", "--out", Path.Combine(dir, "results"));
        var stderr = await client.StandardError.ReadToEndAsync();
        await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, client.ExitCode);
        Assert.Matches(@"would take about [0-9.]+ min, over its limit of 0\.1 min \(--max-minutes\)\. To run it anyway, raise the limit: --max-minutes [0-9.]+", stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "results")));
    }
}
