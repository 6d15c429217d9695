using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>A starved server must still exit on SIGTERM, within its shutdown bound, keeping its samples.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ShutdownTests(LabFixture lab)
{
    [SkippableFact]
    public async Task A_starved_server_exits_on_sigterm_within_its_shutdown_bound()
    {
        Prerequisite.RequireCondition(OperatingSystem.IsWindows() ? "this test sends SIGTERM, which Windows does not have" : null);
        var path = SampleFile.NewPath();
        var maxThreads = Environment.ProcessorCount;
        var server = await lab.StartServerAsync(
            ("MaxWorkerThreads", maxThreads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("ShutdownTimeoutMs", "1000"),
            ("SampleFile", path));
        await using var _ = server;

        // Block every pool thread for 30 s, with more work queued behind.
        var burst = Enumerable.Range(0, 4 * maxThreads)
            .Select(async _ =>
            {
                try { using var r = await lab.Http.GetAsync(new Uri(server.Url, "/sync?delayMs=30000")); }
                catch (HttpRequestException) { /* the server goes away mid-request: expected */ }
                catch (TaskCanceledException) { }
            })
            .ToArray();
        Assert.True(await Eventually.TrueAsync(
                () => Task.FromResult(SampleFile.Read(path).Any(s => s.ThreadPoolThreadCount >= maxThreads && s.ThreadPoolQueueLength > 0)),
                TimeSpan.FromSeconds(20)),
            "the server never looked starved");

        Assert.True(server.RequestStop());
        // Bound: 1 s graceful + 2 s watchdog margin; 15 s leaves room for a slow machine but not for a 30 s request.
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Assert.True(exited, "the starved server ignored SIGTERM");
        Assert.Contains(server.ExitCode, new int?[] { 0, 137 });

        var samples = SampleFile.Read(path);
        Assert.NotEmpty(samples);
        Assert.Equal(samples.Count, samples[^1].Seq);
        await Task.WhenAll(burst);
        File.Delete(path);
    }
}
