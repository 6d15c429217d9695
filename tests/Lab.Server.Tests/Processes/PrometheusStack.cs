using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Lab.Testing;

namespace Lab.Server.Tests.Processes;

/// <summary>
/// A real node_exporter (textfile collector only, reading <see cref="TextfileDirectory"/>) and a real Prometheus
/// scraping it and a lab-server's <c>/metrics</c> every <see cref="ScrapeIntervalS"/>, both on loopback, in a temporary
/// folder. Each process is stopped by its own PID and the folder removed on dispose.
/// </summary>
public sealed class PrometheusStack : IAsyncDisposable
{
    public const int ScrapeIntervalS = 1;
    public const string MetricsJob = "lab";
    public const string TextfileJob = "node";

    private readonly string _root;
    private readonly List<Process> _processes = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _stderr = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private PrometheusStack(string root)
    {
        _root = root;
        TextfileDirectory = Directory.CreateDirectory(Path.Combine(root, "textfile")).FullName;
    }

    public string TextfileDirectory { get; }

    /// <summary>A path in the temporary folder, removed with it.</summary>
    public string PathOf(string name) => Path.Combine(_root, name);

    public Uri PrometheusUrl { get; private set; } = null!;

    /// <summary>Creates the folder and starts node_exporter; Prometheus starts with <see cref="StartPrometheusAsync"/> once the server's URL is known.</summary>
    public static async Task<PrometheusStack> StartNodeExporterAsync()
    {
        var nodeExporter = Prerequisite.NodeExporter.Require();
        Prerequisite.Prometheus.Require();
        var stack = new PrometheusStack(Directory.CreateTempSubdirectory("lab-prometheus-").FullName);
        try
        {
            var port = FreePort();
            // Only the textfile collector: the test is about that path, and the others would cost CPU on every scrape.
            stack.Start(nodeExporter, "--collector.disable-defaults", "--collector.textfile",
                $"--collector.textfile.directory={stack.TextfileDirectory}", $"--web.listen-address=127.0.0.1:{port}");
            stack.NodeExporterUrl = new Uri($"http://127.0.0.1:{port}");
            await stack.WaitUntilAnswersAsync(new Uri(stack.NodeExporterUrl, "/metrics"));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public Uri NodeExporterUrl { get; private set; } = null!;

    /// <summary>Starts Prometheus scraping <paramref name="server"/>'s /metrics (job lab) and node_exporter (job node).</summary>
    public async Task StartPrometheusAsync(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var port = FreePort();
        var config = Path.Combine(_root, "prometheus.yml");
        // scrape_timeout may not exceed the interval: a scrape not answered within a second fails (up = 0).
        File.WriteAllText(config, $"""
            global:
              scrape_interval: {ScrapeIntervalS}s
              scrape_timeout: {ScrapeIntervalS}s
            scrape_configs:
              - job_name: {MetricsJob}
                static_configs:
                  - targets: ["{server.Authority}"]
              - job_name: {TextfileJob}
                static_configs:
                  - targets: ["{NodeExporterUrl.Authority}"]
            """);
        Start(Prerequisite.Prometheus.Require(), $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_root, "tsdb")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn");
        PrometheusUrl = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilAnswersAsync(new Uri(PrometheusUrl, "/-/ready"));
    }

    /// <summary>An instant query's single value, or null when it returned no series.</summary>
    public async Task<double?> QueryScalarAsync(string query, DateTimeOffset at)
    {
        var result = await GetResultAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}&time={Seconds(at)}");
        return result.GetArrayLength() == 0 ? null : ParseValue(result[0].GetProperty("value")[1]);
    }

    /// <summary>A range query's points (evaluation time, value) of its single series; empty when there is none.</summary>
    public async Task<IReadOnlyList<(double T, double Value)>> QueryRangeAsync(string query, DateTimeOffset from, DateTimeOffset to, double stepS)
    {
        var result = await GetResultAsync(
            $"/api/v1/query_range?query={Uri.EscapeDataString(query)}&start={Seconds(from)}&end={Seconds(to)}&step={stepS.ToString(CultureInfo.InvariantCulture)}");
        Assert.True(result.GetArrayLength() <= 1, $"{query} returned {result.GetArrayLength()} series, expected one");
        return result.GetArrayLength() == 0
            ? []
            : [.. result[0].GetProperty("values").EnumerateArray().Select(p => (p[0].GetDouble(), ParseValue(p[1])))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Exited meanwhile, or will be reaped by the OS: nothing else of ours to stop.
            }

            process.Dispose();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process that ignored SIGKILL for 30 s still holds a file: leave the temporary folder.
        }
    }

    private async Task<JsonElement> GetResultAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(new Uri(PrometheusUrl, pathAndQuery));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Prometheus answered {(int)response.StatusCode} to {pathAndQuery}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    private void Start(string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        _processes.Add(process);
        // Drained so a chatty process never blocks on a full pipe; the last lines of stderr explain a failed start.
        var name = Path.GetFileName(file);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _stderr.Enqueue($"{name}: {e.Data}");
            while (_stderr.Count > 50 && _stderr.TryDequeue(out string? _)) { }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private async Task WaitUntilAnswersAsync(Uri url)
    {
        var ok = await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await _http.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), pollMs: 200);
        Assert.True(ok, $"{url} did not answer within 60 s:\n{string.Join('\n', _stderr)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Seconds(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static double ParseValue(JsonElement value) => value.GetString() switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
