using System.Net;
using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// Runs one scenario end to end: a backend once, then per variant a fresh server (cold thread pool)
/// with the variant's knobs, warm-up, the load profile, and a stop by PID (SIGTERM, then SIGKILL).
/// Everything is recorded as it happens; whatever ends the run — completion, Ctrl+C, an exception,
/// a crashed server — the processes it started are stopped and run.json says how it ended.
/// </summary>
public sealed partial class Orchestrator(RunOptions options, IProgressSink progress)
{
    public async Task<RunResult> RunAsync(Scenario scenario, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var folder = RunFolder.Create(options.ResultsRoot, scenario.Name, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(folder, "scenario.yaml"), scenario.SourceText, CancellationToken.None);
        var manifest = new RunManifest
        {
            RunId = Path.GetFileName(folder),
            Scenario = new ScenarioInfo(scenario.Name, Path.GetFullPath(scenario.SourcePath), scenario.Claims, scenario.Description, scenario.SourceText, ResolvedScenario.Of(scenario)),
            Machine = MachineProbe.Describe(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)),
            CommandLine = options.CommandLine,
            Mode = options.ServerUrl is null ? "local" : "remote",
        };
        manifest.Save(folder);

        using var recorder = new RequestRecorder(Path.Combine(folder, "requests.csv"));
        using var clientMetrics = new ClientMetricsWriter(Path.Combine(folder, "client-metrics.csv"));
        using var http = CreateHttpClient(scenario.Client);
        LabServerProcess? backend = null;
        try
        {
            Uri backendUrl;
            if (options.BackendUrl is { } remoteBackend)
            {
                backendUrl = remoteBackend;
                manifest.Backend = new ProcessInfo { Url = remoteBackend.ToString() };
            }
            else if (options.ServerUrl is not null)
            {
                // A server started by hand already has its backend; starting another would serve no one.
                backendUrl = new Uri("http://backend-of-the-remote-server.invalid/");
                manifest.Backend = new ProcessInfo { Url = "(the remote server's own; see variants[].server.info.settings.backendUrl)" };
            }
            else
            {
                var samples = Path.Combine(folder, "samples-backend.jsonl");
                backend = await LabServerProcess.StartAsync(
                    "backend",
                    [.. scenario.BackendKnobs, new("SampleFile", samples), new("ParentProcessId", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                    options.ReadyTimeout, ct, serverDll: options.ServerDll);
                backendUrl = backend.Url;
                manifest.Backend = new ProcessInfo { Url = backend.Url.ToString(), ProcessId = backend.ProcessId, CommandLine = backend.CommandLine, SamplesFile = Path.GetFileName(samples) };
            }

            manifest.Save(folder);
            progress.Message($"{scenario.Name}: backend {backendUrl} · results in {folder}");
            for (var i = 0; i < scenario.Variants.Count && !ct.IsCancellationRequested; i++)
            {
                await RunVariantAsync(scenario, i, backendUrl, folder, manifest, recorder, clientMetrics, http, ct);
            }

            if (ct.IsCancellationRequested) manifest.Reasons.Add("interrupted (Ctrl+C or SIGTERM) before every variant ran");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            manifest.Reasons.Add("interrupted (Ctrl+C or SIGTERM)");
        }
        catch (LabServerStartException ex)
        {
            manifest.Reasons.Add(ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            manifest.Reasons.Add($"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (backend is not null)
            {
                manifest.Backend!.ExitCode = await backend.StopAsync(options.StopGrace);
                await backend.DisposeAsync();
            }

            recorder.Flush();
            manifest.Complete = manifest.Reasons.Count == 0 && manifest.Variants.Count == scenario.Variants.Count && manifest.Variants.All(v => v.Status == "complete");
            manifest.Status = manifest.Complete ? "complete" : "incomplete";
            manifest.ClientLimited = manifest.Variants.Any(v => v.ClientLimited);
            manifest.EndedUtc = DateTimeOffset.UtcNow;
            manifest.Save(folder);
        }

        var reasons = manifest.Reasons.Concat(manifest.Variants.Where(v => v.Reason is not null).Select(v => $"{v.Name}: {v.Reason}")).ToList();
        return new RunResult(folder, manifest.Complete, manifest.ClientLimited, reasons);
    }

    private static HttpClient CreateHttpClient(ClientOptions client) =>
        new(new SocketsHttpHandler
        {
            // No connection cap of the client's own unless the scenario asks (then the engine enforces it too).
            MaxConnectionsPerServer = client.MaxConnections ?? int.MaxValue,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // Connecting is part of the request: only the request's own timeout applies.
            ConnectTimeout = TimeSpan.FromSeconds(client.TimeoutS),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own timeout (client.timeoutS)
        };
}
