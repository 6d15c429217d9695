using Lab.Server.Configuration;
using Lab.Testing;
using Microsoft.Extensions.Configuration;

namespace Lab.Server.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class SettingsReaderTests
{
    private static SettingsReader Reader(params (string Key, string Value)[] pairs) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>("Lab:" + p.Key, p.Value)))
            .Build(), processorCount: 2);

    [Fact]
    public void Defaults_leave_the_runtime_alone_and_the_limiter_off()
    {
        var s = Reader().Read(LabRole.Server)!;
        Assert.Null(s.MinWorkerThreads);
        Assert.Null(s.MaxWorkerThreads);
        Assert.Null(s.ConcurrencyLimit);
        Assert.Null(s.RequestTimeoutMs);
        Assert.True(s.MaxConnectionsPerServer.IsUnlimited);
        Assert.Equal(100, s.SampleIntervalMs);
    }

    [Fact]
    public void Reads_every_knob()
    {
        var s = Reader(
            ("MinWorkerThreads", "200"), ("MaxWorkerThreads", "400"), ("ConcurrencyLimit", "100"), ("QueueLimit", "5000"),
            ("RequestTimeoutMs", "1500"), ("MaxConnectionsPerServer", "12xCPU"), ("MaxConcurrentConnections", "1000"),
            ("BackendUrl", "http://127.0.0.1:9999"), ("SampleIntervalMs", "250"), ("ShutdownTimeoutMs", "1000")).Read(LabRole.Server)!;
        Assert.Equal((200, 400, 100, 5000, 1500, 24, 1000, 250, 1000),
            (s.MinWorkerThreads, s.MaxWorkerThreads, s.ConcurrencyLimit, s.QueueLimit, s.RequestTimeoutMs,
             s.MaxConnectionsPerServer.Connections, s.MaxConcurrentConnections, s.SampleIntervalMs, s.ShutdownTimeoutMs));
        Assert.Equal(new Uri("http://127.0.0.1:9999"), s.BackendUrl);
    }

    [Fact]
    public void Queue_limit_defaults_to_the_http_sys_thousand_when_the_limiter_is_on()
    {
        Assert.Equal(1000, Reader(("ConcurrencyLimit", "10")).Read(LabRole.Server)!.QueueLimit);
    }

    [Fact]
    public void Reports_every_problem_at_once_naming_key_value_and_expectation()
    {
        var reader = Reader(("QueueLimt", "5"), ("SampleIntervalMs", "abc"), ("MaxConnectionsPerServer", "12xGPU"), ("BackendUrl", "ftp://x"));
        Assert.Null(reader.Read(LabRole.Server));
        Assert.Equal(4, reader.Errors.Count);
        Assert.Contains(reader.Errors, e => e.Contains("Lab:QueueLimt is not a known setting", StringComparison.Ordinal));
        Assert.Contains(reader.Errors, e => e.Contains("Lab:SampleIntervalMs = \"abc\": expected an integer from 10 to 10000", StringComparison.Ordinal));
        Assert.Contains(reader.Errors, e => e.Contains("Lab:MaxConnectionsPerServer = \"12xGPU\"", StringComparison.Ordinal));
        Assert.Contains(reader.Errors, e => e.Contains("Lab:BackendUrl = \"ftp://x\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MinWorkerThreads", "500", "MaxWorkerThreads", "100", "expected min <= max")]
    [InlineData("QueueLimit", "10", "SampleIntervalMs", "100", "set both")]
    [InlineData("MaxWorkerThreads", "1", "SampleIntervalMs", "100", "is below the processor count")]
    [InlineData("ConcurrencyLimit", "0", "SampleIntervalMs", "100", "from 1 to")]
    public void Rejects_inconsistent_combinations(string k1, string v1, string k2, string v2, string expected)
    {
        var reader = Reader((k1, v1), (k2, v2));
        Assert.Null(reader.Read(LabRole.Server));
        Assert.Contains(reader.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Refuses_to_overwrite_an_existing_sample_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"seq\":1}\n");
            var reader = Reader(("SampleFile", path));
            Assert.Null(reader.Read(LabRole.Server));
            Assert.Contains("refusing to overwrite", reader.Errors[0], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_prometheus_textfile_is_off_by_default_and_read_as_a_full_path_when_its_folder_exists()
    {
        Assert.Null(Reader().Read(LabRole.Server)!.PrometheusTextfile);
        var path = Path.Combine(Path.GetTempPath(), "lab-server.prom");
        Assert.Equal(path, Reader(("PrometheusTextfile", path)).Read(LabRole.Backend)!.PrometheusTextfile);
    }

    [Theory]
    [InlineData("lab-server.txt", "must end in .prom")]
    [InlineData("no-such-folder-4d1c/lab-server.prom", "does not exist")]
    public void A_prometheus_textfile_the_collector_would_not_read_is_refused(string name, string expected)
    {
        var reader = Reader(("PrometheusTextfile", Path.Combine(Path.GetTempPath(), name)));
        Assert.Null(reader.Read(LabRole.Server));
        Assert.Contains(reader.Errors, e => e.StartsWith("Lab:PrometheusTextfile", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_are_on_without_otlp_by_default_and_otlp_settings_are_read_when_given()
    {
        var plain = Reader().Read(LabRole.Server)!;
        Assert.True(plain.Metrics);
        Assert.Null(plain.OtlpEndpoint);

        var otlp = Reader(("OtlpEndpoint", "http://127.0.0.1:4317"), ("OtlpProtocol", "GRPC"), ("OtlpExportIntervalMs", "500")).Read(LabRole.Backend)!;
        Assert.Equal((new Uri("http://127.0.0.1:4317"), "grpc", 500), (otlp.OtlpEndpoint, otlp.OtlpProtocol, otlp.OtlpExportIntervalMs));
        Assert.False(Reader(("Metrics", "off")).Read(LabRole.Server)!.Metrics);
    }

    [Theory]
    [InlineData("OtlpProtocol", "http/json", "Lab:OtlpProtocol = \"http/json\": expected one of \"http/protobuf\", \"grpc\"")]
    [InlineData("Metrics", "yes", "Lab:Metrics = \"yes\": expected one of \"on\", \"off\"")]
    [InlineData("OtlpExportIntervalMs", "500", "OtlpEndpoint is not")]
    public void Bad_metrics_settings_are_refused_with_the_key_and_what_is_allowed(string key, string value, string expected)
    {
        var reader = Reader((key, value));
        Assert.Null(reader.Read(LabRole.Server));
        Assert.Contains(reader.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_otlp_endpoint_with_metrics_off_is_refused_rather_than_silently_pushing_nothing()
    {
        var reader = Reader(("Metrics", "off"), ("OtlpEndpoint", "http://127.0.0.1:4318"));
        Assert.Null(reader.Read(LabRole.Server));
        Assert.Contains(reader.Errors, e => e.Contains("Metrics is off", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string, string> Combinations() => new()
    {
        { "MinWorkerThreads", "500", "MaxWorkerThreads", "10" },
        { "MaxWorkerThreads", "1", "SampleIntervalMs", "100" },
        { "QueueLimit", "10", "SampleIntervalMs", "100" },
        { "Metrics", "off", "OtlpEndpoint", "http://127.0.0.1:4318" },
        { "OtlpProtocol", "grpc", "SampleIntervalMs", "100" },
        { "PrewarmConnections", "10", "MaxConnectionsPerServer", "4" },
        { "MinWorkerThreads", "10", "MaxWorkerThreads", "500" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Cross_knob_checks_are_the_shared_rules_lab_client_applies_to_scenarios(string k1, string v1, string k2, string v2)
    {
        var reader = Reader((k1, v1), (k2, v2));
        var settings = reader.Read(LabRole.Server);

        var shared = Lab.Contracts.ServerKnobRules.Check(new Dictionary<string, string> { [k1] = v1, [k2] = v2 }, processorCount: 2);
        Assert.Equal(shared.Select(c => $"Lab:{c.Knob}: {c.Message}."), reader.Errors);
        Assert.Equal(shared.Count == 0, settings is not null);
    }

    [Fact]
    public void The_role_may_come_from_the_setting_Lab_Role()
    {
        Assert.Equal(LabRole.Backend, Reader(("Role", "backend")).Read()!.Role);
        Assert.Equal(LabRole.Server, Reader(("Role", "Server")).Read(LabRole.Server)!.Role);
    }

    [Theory]
    [InlineData(null, null, "no role")]
    [InlineData("frontend", null, "Lab:Role = \"frontend\": expected \"backend\" or \"server\"")]
    [InlineData("backend", LabRole.Server, "Lab:Role = backend but the first argument says server")]
    public void A_missing_unknown_or_contradicting_role_is_refused(string? setting, LabRole? argument, string expected)
    {
        var reader = setting is null ? Reader() : Reader(("Role", setting));
        Assert.Null(reader.Read(argument));
        Assert.Contains(reader.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
