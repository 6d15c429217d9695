using Lab.Contracts;
using Lab.Server.Configuration;
using Lab.Server.Telemetry;
using Lab.Server.Telemetry.Textfile;
using Lab.Testing;

namespace Lab.Server.Tests.Metrics;

/// <summary>The Prometheus textfile the sampler thread writes for node_exporter: its text, and how it replaces the file.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class TextfileTests : IDisposable
{
    private static readonly ServerSample s_sample = new()
    {
        Seq = 42,
        UnixMs = 1_795_000_000_123,
        MonoMs = 4_200,
        ThreadPoolThreadCount = 101,
        ThreadPoolQueueLength = 132,
        ThreadPoolCompletedWorkItems = 123_456,
        WorkingSetBytes = 123_456_789,
        GcHeapBytes = 23_456_789,
        CpuTimeS = 12.3456,
        ActiveRequests = 226,
        LimiterQueuedRequests = 100,
        BackendOpenConnections = 7,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("lab-textfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_server_file_is_exactly_the_expected_text() =>
        Golden.Match("textfile-server.prom", new PrometheusTextfile(Path.Combine(_dir, "x.prom"), LabRole.Server, 4242).Render(s_sample));

    [Fact]
    public void The_backend_file_leaves_out_the_limiter_and_the_backend_connections()
    {
        var text = new PrometheusTextfile(Path.Combine(_dir, "x.prom"), LabRole.Backend, 4242).Render(s_sample);

        Assert.DoesNotContain("aspnetcore_rate_limiting_queued_requests", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_client_open_connections", text, StringComparison.Ordinal);
        Assert.Contains("lab_thread_pool_queue_length{lab_role=\"backend\",process_pid=\"4242\"} 132\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_family_has_help_and_type_before_its_one_sample_and_names_are_unique()
    {
        var lines = new PrometheusTextfile(Path.Combine(_dir, "x.prom"), LabRole.Server, 1).Render(s_sample).Split('\n');

        Assert.Equal("", lines[^1]);
        Assert.Equal(TextfileMetrics.All.Count * 3, lines.Length - 1);
        Assert.Equal(TextfileMetrics.All.Count, TextfileMetrics.All.Select(m => m.Name).Distinct().Count());
        for (var i = 0; i < TextfileMetrics.All.Count; i++)
        {
            var m = TextfileMetrics.All[i];
            Assert.StartsWith($"# HELP {m.Name} ", lines[3 * i], StringComparison.Ordinal);
            Assert.Equal($"# TYPE {m.Name} {m.Type}", lines[(3 * i) + 1]);
            Assert.StartsWith(m.Name + "{", lines[(3 * i) + 2], StringComparison.Ordinal);
            Assert.Equal(m.Type == TextfileMetrics.Counter, m.Name.EndsWith("_total", StringComparison.Ordinal));
            Assert.DoesNotContain('\\', m.Help);
        }
    }

    [Fact]
    public void A_write_replaces_the_file_and_leaves_no_temporary_file_and_delete_removes_it()
    {
        var path = Path.Combine(_dir, "lab.prom");
        var textfile = new PrometheusTextfile(path, LabRole.Server, 7);

        Assert.True(textfile.Write(s_sample));
        Assert.True(textfile.Write(s_sample with { ThreadPoolQueueLength = 5 }));

        Assert.Equal(["lab.prom"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Contains("lab_thread_pool_queue_length{lab_role=\"server\",process_pid=\"7\"} 5\n", File.ReadAllText(path), StringComparison.Ordinal);
        textfile.Delete();
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_failed_write_is_reported_as_false_and_the_next_one_succeeds_once_the_folder_is_back()
    {
        var folder = Path.Combine(_dir, "collector");
        var textfile = new PrometheusTextfile(Path.Combine(folder, "lab.prom"), LabRole.Server, 7);

        Assert.False(textfile.Write(s_sample));
        Directory.CreateDirectory(folder);
        Assert.True(textfile.Write(s_sample));
    }

    [Fact]
    public void No_prometheus_text_is_written_by_hand_in_lab_server()
    {
        // /metrics is OpenTelemetry's exporter and the textfile prometheus-net's serializer: no HELP or TYPE line of our own.
        var root = Path.Combine(LabServerDll.RepositoryRoot(AppContext.BaseDirectory)!, "lab-server");
        var handWritten = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("\"# HELP", StringComparison.Ordinal) || text.Contains("\"# TYPE", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        Assert.Empty(handWritten);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(250, 1)]
    [InlineData(50, 2)]
    [InlineData(30, 4)]
    [InlineData(10, 10)]
    public void The_file_is_replaced_at_most_every_100_ms_whatever_the_sample_interval(int intervalMs, long every) =>
        Assert.Equal(every, Sampler.TextfileEvery(intervalMs));
}
