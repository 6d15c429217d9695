using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lab.Client.Analysis;
using Lab.Client.Load;
using Lab.Client.Recording;
using Lab.Contracts;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// Remote mode over a real network path instead of loopback: the backend, the server and the client each in a network
/// namespace of their own — three machines as far as their sockets can tell — joined by two point-to-point veth links,
/// client ↔ server and server ↔ backend, the two hops of the lab's architecture. Point-to-point rather than one bridge:
/// each link's interface counters then belong to one hop only, so the test can say which traffic crossed which link
/// (on a bridge the server's single port would carry both hops at once). The client never needs the backend (remote
/// mode only records <c>--backend-url</c>), so no routing or forwarding is set up: the backend is unreachable from the
/// client namespace, as it may be in a real deployment. Addresses are private (10.77.x.0/30) and exist only inside the
/// namespaces this test makes; nothing leaves them. Needs root; skipped with the reason otherwise (a failure in CI).
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class NetworkNamespaceTests(ITestOutputHelper output)
{
    /// <summary>Every namespace this test makes starts with it (then the test host's PID and the role); the sweep removes only these.</summary>
    private const string Prefix = "tslab-netns-";

    private const int DelayMs = 50;
    private const int Items = 200;
    private const int RatePerS = 20;
    private const int DurationS = 3;
    private const int NetemDelayMs = 20;

    /// <summary>What the output says when the kernel has no netem (docs/deployment.md quotes it).</summary>
    public const string NoDelayNotice = "network delay: none, the run goes without it";

    /// <summary>The tc command the test tries, up to the delay (docs/deployment.md quotes it).</summary>
    public const string NetemCommand = "tc qdisc add dev c2s root netem delay";

    // A generous floor for one backend list item: the shortest, {"id":1,"name":"product-1"}, is 26 bytes of JSON.
    private const int MinItemBytes = 20;

    private const string ServerUrl = "http://10.77.1.1:5100";
    private const string BackendUrl = "http://10.77.2.1:5101";

    private static readonly string s_scenario = $$"""
        name: netns
        description: a few seconds of open-model load from a client namespace to a server namespace, which calls a backend namespace
        claims: [C5]
        params: { delayMs: {{DelayMs}}, items: {{Items}}, ratePerS: {{RatePerS}}, durationS: {{DurationS}} }
        load:
          model: open
          phases:
            - inject: { ratePerS: ratePerS, durationS: durationS }
        variants:
          - name: async
            endpoint: /async?delayMs={delayMs}&items={items}
          - name: sync
            endpoint: /sync?delayMs={delayMs}&items={items}
        client: { drainS: 20 }
        checks:
          # No answer can come before the backend's delay has passed: a check that holds on any working path.
          - async.latency.p50 >= delayMs
          - sync.latency.p50 >= delayMs
        """;

    [SkippableFact]
    public async Task Remote_mode_drives_a_backend_and_server_in_other_network_namespaces_over_veth_links_that_carry_the_traffic()
    {
        Prerequisite.RequireCondition(await NetworkNamespace.UnavailableAsync());
        foreach (var name in await NetworkNamespace.SweepStaleAsync(Prefix)) output.WriteLine($"removed {name}, left behind by an earlier run");

        var namespaces = new Dictionary<string, NetworkNamespace>();
        RunningLabServer? backend = null, server = null;
        Process? client = null;
        var cleanup = new List<string>();
        try
        {
            foreach (var role in new[] { "client", "server", "backend" })
            {
                namespaces[role] = await NetworkNamespace.CreateAsync(NetworkNamespace.NameFor(Prefix, role));
            }

            var (clientNs, serverNs, backendNs) = (namespaces["client"], namespaces["server"], namespaces["backend"]);
            await NetworkNamespace.LinkAsync(clientNs, "c2s", "10.77.1.2/30", serverNs, "s2c", "10.77.1.1/30");
            await NetworkNamespace.LinkAsync(serverNs, "s2b", "10.77.2.2/30", backendNs, "b2s", "10.77.2.1/30");
            // The delay goes on the client's end of its link: every request packet waits NetemDelayMs on its way to the server.
            var (delayed, delayMessage) = await clientNs.TryAddDelayAsync("c2s", NetemDelayMs);
            Assert.StartsWith(NetemCommand, delayMessage, StringComparison.Ordinal);
            output.WriteLine(delayed ? $"network delay: {delayMessage}" : $"{NoDelayNotice} ({delayMessage})");

            (string, string)[] parent = [("ParentProcessId", Environment.ProcessId.ToString(CultureInfo.InvariantCulture))];
            backend = await RunningLabServer.StartInNetworkNamespaceAsync(backendNs, "backend", BackendUrl, parent);
            server = await RunningLabServer.StartInNetworkNamespaceAsync(serverNs, "server", ServerUrl, [("BackendUrl", BackendUrl), .. parent]);
            Assert.Equal(BackendUrl, backend.PrintedUrl);
            Assert.Equal(ServerUrl, server.PrintedUrl);
            // The PID the test holds, and will stop, is lab-server itself, not a wrapper around it.
            Assert.Equal(new[] { backend.ProcessId }, await backendNs.ProcessIdsAsync());
            Assert.Equal(new[] { server.ProcessId }, await serverNs.ProcessIdsAsync());
            foreach (var (lab, url) in new[] { (backend, BackendUrl), (server, ServerUrl) })
            {
                Assert.True(await Eventually.TrueAsync(() => lab.RecentStandardError.Contains($"listening on {url}, which is not a loopback address (given on the command line)", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
                    $"no notice of the non-loopback address on stderr:\n{lab.RecentStandardError}");
            }

            var before = await ReadLinksAsync(namespaces);
            var dir = Processes.NewFolder();
            var scenario = Processes.WriteScenario(dir, s_scenario);
            var results = Path.Combine(dir, "results");
            var clock = Stopwatch.StartNew();
            client = Process.Start(clientNs.StartInfo("dotnet",
                [ClientDll(), "run", scenario, "--server-url", ServerUrl, "--backend-url", BackendUrl, "--allow-remote", "--out", results, "--progress", "plain"]))!;
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            await client.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
            clock.Stop();
            var crossed = Subtract(await ReadLinksAsync(namespaces), before);

            // 0: complete, and both checks held (they cannot fail on a working path); 3 would mean answers came before the
            // backend's delay, 1 an incomplete run: both are failures here.
            Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}\n{await stdout}\n{await stderr}");
            var folder = Assert.Single(Directory.GetDirectories(results));
            var run = RunManifest.Read(folder);
            Assert.Equal(RunStatus.Complete, run.Status);
            Assert.Equal("remote", run.Mode);
            Assert.Equal(["async", "sync"], run.Variants.Select(v => v.Name));
            var records = RequestLog.Read(folder).ToList();
            foreach (var v in run.Variants)
            {
                Assert.Equal("complete", v.Status);
                Assert.Equal(ServerUrl + "/", v.Server.Url);
                Assert.Equal(RatePerS * DurationS, v.Scheduled);
                Assert.Equal(v.Scheduled, v.Outcomes["ok"]);
                AssertSamplesPulled(folder, v);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"client run took {clock.Elapsed.TotalSeconds:0.0} s (exit {client.ExitCode}); {records.Count} requests, {records.Count(r => r.Answered)} answered"));
            foreach (var v in run.Variants)
            {
                var service = records.Where(r => r.Variant == v.Name && r.Answered).Select(r => r.ServiceMs!.Value).Order().ToList();
                var p50 = service[service.Count / 2];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{v.Name}: service time p50 {p50:0.0} ms, max {service[^1]:0.0} ms over a {DelayMs} ms backend{(delayed ? $" and {NetemDelayMs} ms of netem delay" : ", no netem delay")}"));
                if (delayed)
                {
                    // Only a floor, which noise cannot break: each request's packets waited NetemDelayMs; count half of it.
                    Assert.True(p50 - DelayMs >= 0.5 * NetemDelayMs, $"{v.Name}: p50 {p50:0.0} ms is not above the backend's {DelayMs} ms by half the netem delay");
                }
            }

            AssertTrafficCrossedTheLinks(records, crossed);
        }
        finally
        {
            await StopEverythingAsync(client, [server, backend], namespaces.Values, cleanup);
        }

        Assert.True(cleanup.Count == 0, string.Join("\n", cleanup));
        var mine = NetworkNamespace.NameFor(Prefix, "");
        Assert.DoesNotContain(await NetworkNamespace.ListAsync(), n => n.StartsWith(mine, StringComparison.Ordinal));
    }

    /// <summary>
    /// Each link carried at least what the answered requests imply, in each direction and seen from both of its ends
    /// (the counters count whole frames, so headers only add to it): the request lines and the answers' bodies the
    /// client recorded on client ↔ server; a request line per call and <c>items</c> items per answer on server ↔ backend.
    /// </summary>
    private void AssertTrafficCrossedTheLinks(List<RequestRecord> records, Dictionary<string, InterfaceBytes> crossed)
    {
        var answered = records.Where(r => r.Answered && r.Status == 200).ToList();
        var requestLines = answered.Sum(r => (long)$"GET {r.Endpoint} HTTP/1.1\r\n".Length);
        var answerBodies = answered.Sum(r => r.Bytes);
        // The server asks the backend for /<kind>?delayMs=…&items=… once per request; the path alone is shorter than that.
        var backendRequestLines = answered.Count * (long)$"GET /?delayMs={DelayMs}&items={Items} HTTP/1.1\r\n".Length;
        var backendBodies = answered.Count * (long)Items * MinItemBytes;
        var floors = new (string Interface, long ReceivedFloor, long SentFloor)[]
        {
            ("client/c2s", answerBodies, requestLines),
            ("server/s2c", requestLines, answerBodies),
            ("server/s2b", backendBodies, backendRequestLines),
            ("backend/b2s", backendRequestLines, backendBodies),
        };
        foreach (var (iface, receivedFloor, sentFloor) in floors)
        {
            var c = crossed[iface];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{iface,-12} received {c.ReceivedBytes,10:N0} B (at least {receivedFloor,9:N0} implied), sent {c.SentBytes,10:N0} B (at least {sentFloor,9:N0} implied)"));
            Assert.True(c.ReceivedBytes >= receivedFloor, $"{iface} received {c.ReceivedBytes} bytes; {answered.Count} answered requests imply at least {receivedFloor}");
            Assert.True(c.SentBytes >= sentFloor, $"{iface} sent {c.SentBytes} bytes; {answered.Count} answered requests imply at least {sentFloor}");
        }
    }

    /// <summary>The variant's samples came over the link: a non-empty file, sequence numbers without a gap, covering the load.</summary>
    private void AssertSamplesPulled(string folder, VariantRun v)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, v.Server.SamplesFile!));
        Assert.NotEmpty(lines);
        var samples = lines.Select(l => JsonSerializer.Deserialize(l, ContractsJson.Default.ServerSample)!).ToList();
        var seqs = samples.Select(s => s.Seq).Distinct().Order().ToList();
        var missing = seqs[^1] - seqs[0] + 1 - seqs.Count;
        Assert.True(missing == 0, $"{v.Server.SamplesFile}: {missing} sequence numbers missing between {seqs[0]} and {seqs[^1]}");
        // Not asserted (yet): the ticker starts a pull every second without awaiting it, and the catch-up pull after the
        // load can overlap the last one; both then append the same page (seen once in six runs here: 67–76 twice).
        // Each sample exactly once: overlapping pulls (a slow tick and the catch-up after the load) once appended a page twice.
        var duplicates = samples.GroupBy(s => s.Seq).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{v.Server.SamplesFile}: samples pulled twice: {string.Join(", ", duplicates)}");

        // One clock here, so the server's wall-clock stamps and the client's t0 compare directly; 100 ms samples, at least 10 of 30 in the load.
        var during = samples.Count(s => s.UnixMs >= v.T0UnixMs && s.UnixMs <= v.T0UnixMs + DurationS * 1000);
        Assert.True(during >= 10, $"{v.Server.SamplesFile}: {during} samples fall in the {DurationS} s of load");
        output.WriteLine($"{v.Name}: {samples.Count} samples pulled (seq {samples[0].Seq}–{samples[^1].Seq}, {during} during the load)");
    }

    private static async Task<Dictionary<string, InterfaceBytes>> ReadLinksAsync(Dictionary<string, NetworkNamespace> namespaces) => new()
    {
        ["client/c2s"] = await namespaces["client"].BytesAsync("c2s"),
        ["server/s2c"] = await namespaces["server"].BytesAsync("s2c"),
        ["server/s2b"] = await namespaces["server"].BytesAsync("s2b"),
        ["backend/b2s"] = await namespaces["backend"].BytesAsync("b2s"),
    };

    private static Dictionary<string, InterfaceBytes> Subtract(Dictionary<string, InterfaceBytes> after, Dictionary<string, InterfaceBytes> before) =>
        after.ToDictionary(kv => kv.Key, kv => kv.Value - before[kv.Key]);

    /// <summary>The client from the same build output as <see cref="Processes.StartClient"/> uses.</summary>
    private static string ClientDll()
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(Processes.Root, "lab-client", "bin", config, "net10.0", "Lab.Client.dll");
    }

    /// <summary>
    /// Whatever happened: the client (its whole process tree) and both servers stopped by PID — SIGTERM, then SIGKILL —
    /// then each namespace deleted, which stops by PID anything still inside and removes the veths. Problems are
    /// collected, not thrown, so one failure does not leave the rest behind.
    /// </summary>
    private static async Task StopEverythingAsync(Process? client, RunningLabServer?[] servers, IEnumerable<NetworkNamespace> namespaces, List<string> problems)
    {
        if (client is not null)
        {
            try
            {
                if (!client.HasExited)
                {
                    // The client stops on SIGTERM like on Ctrl+C, but one that overran its deadline gets no second chance.
                    client.Kill(entireProcessTree: true);
                    await client.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                problems.Add($"stopping the client {client.Id}: {ex.Message}");
            }

            client.Dispose();
        }

        foreach (var server in servers.OfType<RunningLabServer>())
        {
            try
            {
                await server.StopAsync(TimeSpan.FromSeconds(10));
                await server.DisposeAsync();
            }
            catch (Exception ex)
            {
                problems.Add($"stopping lab-server {server.ProcessId}: {ex.Message}");
            }
        }

        foreach (var ns in namespaces)
        {
            try
            {
                await ns.DisposeAsync();
            }
            catch (Exception ex)
            {
                problems.Add($"deleting network namespace {ns.Name}: {ex.Message}");
            }
        }
    }
}
