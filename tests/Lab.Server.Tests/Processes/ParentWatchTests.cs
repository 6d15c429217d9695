using System.Diagnostics;
using System.Globalization;
using Lab.Server.Hosting;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>No orphans: a server exits within about a second of its parent's death, even starved, even if the parent is a zombie.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class ParentWatchTests(LabFixture lab, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_starved_server_exits_soon_after_its_parent_dies_even_when_the_parent_is_left_a_zombie()
    {
        Prerequisite.RequireLinux("the parent watch reads /proc/<pid>/stat, and the test makes a zombie with sh and sleep");
        // The parent: a `sleep` whose own parent (a `sleep` too, after exec) never reaps it, so once killed it stays a
        // zombie: still in the process table, as a parent whose own parent is stuck would be.
        using var keeper = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 600 & echo $!; exec sleep 700"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var parentId = int.Parse((await keeper.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
            var path = SampleFile.NewPath();
            var maxThreads = Environment.ProcessorCount;
            await using var server = await lab.StartServerAsync(
                ("ParentProcessId", parentId.ToString(CultureInfo.InvariantCulture)),
                ("MaxWorkerThreads", maxThreads.ToString(CultureInfo.InvariantCulture)),
                // A graceful shutdown bound no test waits for: only the parent watch can make this server exit in time.
                ("ShutdownTimeoutMs", "60000"),
                ("SampleFile", path));

            var burst = Enumerable.Range(0, 4 * maxThreads).Select(async _ =>
            {
                try { using var r = await lab.Http.GetAsync(new Uri(server.Url, "/sync?delayMs=30000")); }
                catch (HttpRequestException) { /* the server goes away mid-request: expected */ }
                catch (TaskCanceledException) { }
            }).ToArray();
            Assert.True(await Eventually.TrueAsync(
                    () => SampleFile.Read(path).Any(s => s.ThreadPoolThreadCount >= maxThreads && s.ThreadPoolQueueLength > 0),
                    TimeSpan.FromSeconds(60)),
                "the server never looked starved");

            var sinceDeath = Stopwatch.StartNew();
            using (var parent = Process.GetProcessById(parentId))
            {
                parent.Kill();
            }

            Assert.True(await Eventually.TrueAsync(() => ProcStat.Read(parentId)?.State == 'Z', TimeSpan.FromSeconds(30)), "the killed parent did not become a zombie");
            var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var exitMs = sinceDeath.Elapsed.TotalMilliseconds;
            output.WriteLine($"starved server exited {exitMs:0} ms after its parent died (exit code {server.ExitCode}); "
                + $"watch every {ParentWatch.PollIntervalMs} ms, grace {LabProcess.ParentGoneGraceMs} ms");

            Assert.True(exited, "the server outlived its parent by 30 s");
            // About a second is the promise (poll 100 ms + grace 500 ms + exit); 5 s leaves a loaded machine room and is
            // still far from the 62 s a pool-bound shutdown would take here.
            Assert.True(exitMs < 5_000, $"the server took {exitMs:0} ms to exit after its parent died");
            Assert.Contains(server.ExitCode, new int?[] { ExitCodes.Stopped, ExitCodes.KilledItself });
            Assert.Contains($"parent process {parentId} is gone", server.RecentStandardError, StringComparison.Ordinal);
            var samples = SampleFile.Read(path);
            Assert.Equal(samples.Count, samples[^1].Seq);
            await Task.WhenAll(burst);
            File.Delete(path);
        }
        finally
        {
            // Killing the keeper lets init reap the zombie.
            keeper.Kill();
            await keeper.WaitForExitAsync();
        }
    }
}
