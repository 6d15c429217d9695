using System.Net;
using System.Net.Sockets;
using System.Text;
using Lab.Testing;
using Xunit.Abstractions;

namespace Lab.Server.Tests.Processes;

/// <summary>The backend must never be the bottleneck or the casualty: a client that stops reading costs it a small buffer, not the whole answer.</summary>
[Collection(LabCollection.Name)]
[Trait(Tier.Trait, Tier.Processes)]
public sealed class BackendMemoryTests(LabFixture lab, ITestOutputHelper output)
{
    private const int Readers = 40;
    private const string BigList = "/products?delayMs=0&items=100000";

    [SkippableFact]
    public async Task Slow_readers_of_the_largest_list_cost_the_backend_a_small_fraction_of_the_bodies()
    {
        Prerequisite.RequireLinux("it reads the backend's resident memory from /proc/<pid>/status");
        // Its own backend: the shared one's memory depends on every test before this one.
        await using var backend = await RunningLabServer.StartAsync("backend", [("SampleIntervalMs", "1000")]);
        var bodyBytes = (await lab.Http.GetByteArrayAsync(new Uri(backend.Url, BigList))).Length;
        Assert.True(await ProcessProbe.WaitUntilIdleAsync(backend.ProcessId, TimeSpan.FromSeconds(60)), "the backend never went idle after the warm-up");
        var before = ProcessProbe.ResidentBytes(backend.ProcessId);

        var readers = new List<Socket>();
        try
        {
            for (var i = 0; i < Readers; i++)
            {
                readers.Add(await OpenSlowReaderAsync(backend.Url, BigList));
            }

            // Every reader got its headers, so every answer is being written; once the backend uses no more CPU it
            // has written all it will write until the readers read on.
            Assert.True(await ProcessProbe.WaitUntilIdleAsync(backend.ProcessId, TimeSpan.FromSeconds(120)), "the backend never went idle under the slow readers");
            var peak = ProcessProbe.PeakResidentBytes(backend.ProcessId);
            var grown = peak - before;
            var bodies = (long)Readers * bodyBytes;
            output.WriteLine($"backend RSS {before / 1e6:0.0} MB before, peak {peak / 1e6:0.0} MB with {Readers} slow readers of {bodyBytes / 1e6:0.00} MB each: "
                + $"+{grown / 1e6:0.0} MB = {100.0 * grown / bodies:0.0} % of the {bodies / 1e6:0} MB they asked for");

            // Without backpressure the backend produced every body in full and held what the sockets would not take:
            // +244 MB, 126 % of the bodies (measured). With it, each answer waits at Kestrel's response buffer; what
            // remains is the server GC committing more heap under the new connections (measured: +27 to +31 MB,
            // 14-16 %, about two thirds of it GC-committed memory, not buffers). A third is far from both.
            Assert.True(grown < bodies / 3, $"the backend grew by {grown / 1e6:0.0} MB for {Readers} slow readers of {bodyBytes / 1e6:0.00} MB bodies");
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }

        // Dropped readers end their answers: the backend serves the next one normally.
        using var after = await lab.Http.GetAsync(new Uri(backend.Url, "/products?delayMs=0&items=3"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>A raw HTTP/1.1 GET with a tiny receive window that reads the first kilobyte and then nothing more.</summary>
    private static async Task<Socket> OpenSlowReaderAsync(Uri server, string pathAndQuery)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(IPAddress.Loopback, server.Port, cts.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), cts.Token);
            var first = new byte[1024];
            var n = await socket.ReceiveAsync(first, cts.Token);
            Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(first, 0, n), StringComparison.Ordinal);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
