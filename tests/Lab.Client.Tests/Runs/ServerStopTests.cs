using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lab.Client.Running;
using Lab.Contracts;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>How the orchestrator stops a lab-server after a variant: promptly, starved or not, with its files complete.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class ServerStopTests
{
    [SkippableFact]
    public async Task A_starved_server_is_stopped_once_its_files_are_closed_not_after_its_own_shutdown_bound()
    {
        Prerequisite.RequireLinux("the server is stopped with SIGTERM");
        var ready = TimeSpan.FromSeconds(60);
        var dir = Processes.NewFolder();
        var samples = Path.Combine(dir, "samples.jsonl");
        var events = Path.Combine(dir, "events.jsonl");
        var threads = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        await using var backend = await LabServerProcess.StartAsync("backend", [], ready, CancellationToken.None);
        // A graceful shutdown bound far beyond the grace given below: the server's own watchdog cannot be what ends it.
        await using var server = await LabServerProcess.StartAsync("server",
            [
                new("BackendUrl", backend.Url.ToString()), new("MaxWorkerThreads", threads), new("ShutdownTimeoutMs", "60000"),
                new("SampleFile", samples), new("EventFile", events),
            ],
            ready, CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        // Every pool thread blocked in a backend call for a minute, more requests queued behind them.
        var burst = Enumerable.Range(0, 4 * Environment.ProcessorCount).Select(async _ =>
        {
            try
            {
                using var r = await http.GetAsync(new Uri(server.Url, "/sync?delayMs=60000"));
            }
            catch (HttpRequestException)
            {
                // The server goes away mid-request: expected.
            }
        }).ToArray();
        Assert.True(await Eventually.TrueAsync(
                () => Task.FromResult(ReadSamples(samples).Any(s => s.ThreadPoolQueueLength > 0)),
                TimeSpan.FromSeconds(30)),
            "the server never looked starved");

        var stopping = Stopwatch.StartNew();
        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(30));
        stopping.Stop();

        Assert.True(server.TelemetryClosed, "the server never said its files were closed");
        // Not the 30 s grace, nor the server's own 62 s bound: its files closed, then a short grace, then SIGKILL.
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(exitCode, new[] { 0, 137 });
        var sampled = ReadSamples(samples);
        Assert.Equal(Enumerable.Range(1, sampled.Count).Select(i => (long)i), sampled.Select(s => s.Seq));
        var recorded = File.ReadAllLines(events).Select(l => JsonSerializer.Deserialize(l, ContractsJson.Default.PoolEvent)!).ToList();
        Assert.Equal(PoolEventKinds.Start, recorded[0].Kind);
        Assert.Equal(PoolEventKinds.Stop, recorded[^1].Kind);
        await Task.WhenAll(burst);
        Directory.Delete(dir, recursive: true);
    }

    [SkippableFact]
    public async Task An_idle_server_closes_its_files_on_sigterm_too()
    {
        Prerequisite.RequireLinux("the server is stopped with SIGTERM");
        var dir = Processes.NewFolder();
        var events = Path.Combine(dir, "events.jsonl");
        await using (var server = await LabServerProcess.StartAsync("backend", [new("EventFile", events)], TimeSpan.FromSeconds(60), CancellationToken.None))
        {
            // 0 when its graceful shutdown fits the short grace after the files closed (it usually does), 137 on a machine too busy for that.
            Assert.Contains(await server.StopAsync(TimeSpan.FromSeconds(30)), new[] { 0, 137 });
            Assert.True(server.TelemetryClosed);
        }

        Assert.Equal(PoolEventKinds.Stop, JsonSerializer.Deserialize(File.ReadLines(events).Last(), ContractsJson.Default.PoolEvent)!.Kind);
        Directory.Delete(dir, recursive: true);
    }

    private static List<ServerSample> ReadSamples(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var list = new List<ServerSample>();
        while (reader.ReadLine() is { } line)
        {
            try
            {
                list.Add(JsonSerializer.Deserialize(line, ContractsJson.Default.ServerSample)!);
            }
            catch (JsonException)
            {
                // A line being written.
            }
        }

        return list;
    }
}
