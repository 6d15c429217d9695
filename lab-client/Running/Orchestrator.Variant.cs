using System.Globalization;
using System.Text.Json.Nodes;
using Lab.Client.Load;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

public sealed partial class Orchestrator
{
    private async Task RunVariantAsync(
        Scenario scenario, int index, Uri backendUrl, string folder, RunManifest manifest,
        RequestRecorder recorder, ClientMetricsWriter clientMetrics, HttpClient http, CancellationToken ct)
    {
        var variant = scenario.Variants[index];
        var run = new VariantRun { Name = variant.Name, StartedUtc = DateTimeOffset.UtcNow, Status = "starting" };
        manifest.Variants.Add(run);
        manifest.Save(folder);
        var samplesPath = Path.Combine(folder, $"samples-{variant.Name}.jsonl");
        run.Server.SamplesFile = Path.GetFileName(samplesPath);

        LabServerProcess? server = null;
        try
        {
            Uri serverUrl;
            if (options.ServerUrl is { } remote)
            {
                serverUrl = remote;
                if (variant.ServerKnobs.Count > 0 || variant.Environment.Count > 0)
                {
                    progress.Message($"{variant.Name}: remote mode — its knobs and environment are not applied; the server runs with its own (see run.json server.info).");
                }
            }
            else
            {
                // A fresh process per variant: a cold thread pool, nothing carried over from the last one.
                server = await LabServerProcess.StartAsync(
                    "server",
                    [
                        .. variant.ServerKnobs,
                        new("BackendUrl", backendUrl.ToString()),
                        new("SampleFile", samplesPath),
                        new("ParentProcessId", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
                    ],
                    options.ReadyTimeout, ct, environment: variant.Environment, serverDll: options.ServerDll);
                serverUrl = server.Url;
                run.Server.ProcessId = server.ProcessId;
                run.Server.CommandLine = server.CommandLine;
            }

            run.Server.Url = serverUrl.ToString();
            run.Server.Info = await InfoAsync(http, serverUrl, ct);
            await WarmUpAsync(http, serverUrl, variant, scenario.Client.WarmupRequests, ct);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var serverDied = server?.Exited.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            var puller = options.ServerUrl is null ? null : new SamplePuller(http, serverUrl, samplesPath);
            using var engine = new LoadEngine(http, serverUrl, variant, scenario.Client, recorder);
            if (options.ServerUrl is null || options.BackendUrl is not null)
            {
                // The backend is not under test; a few hundred instant calls there JIT the client's own path.
                await engine.WarmUpClientAsync(new Uri(backendUrl, "/products?delayMs=0&items=0"), 300, ct);
            }
            run.Status = "running";
            manifest.Save(folder);
            progress.Message($"{scenario.Name} · {variant.Name} ({index + 1}/{scenario.Variants.Count}): {string.Join(", ", variant.Endpoints.Select(e => e.PathAndQuery))}, {variant.Load.Model.ToString().ToLowerInvariant()} model, {variant.Load.DurationS:0.#} s");

            bool completed;
            using (var ticker = new VariantTicker(scenario, index, engine, recorder.StatsFor(variant.Name), clientMetrics, progress, samplesPath, puller))
            {
                completed = await engine.RunAsync(stop.Token);
            }

            recorder.Flush();
            run.T0UnixMs = engine.T0UnixMs;
            run.DurationS = Math.Round(engine.ElapsedS, 3);
            if (server is { HasExited: true })
            {
                run.Status = "incomplete";
                run.Reason = $"the server exited with code {server.ExitCode} during the load";
            }
            else if (!completed)
            {
                run.Status = "incomplete";
                run.Reason = "interrupted during the load";
            }
            else
            {
                run.Status = "complete";
            }

            if (puller is not null)
            {
                // Catch up on every sample the server took, now that it answers again.
                for (var attempt = 0; attempt < 10 && !await puller.PullAsync(CancellationToken.None); attempt++)
                {
                    await Task.Delay(500, CancellationToken.None);
                }

                if (puller.Gaps.Count > 0) run.Reason = string.Join("; ", [.. puller.Gaps, run.Reason ?? ""]).TrimEnd(';', ' ');
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Status = "incomplete";
            run.Reason = "interrupted";
        }
        catch (Exception ex) when (ex is LabServerStartException or HttpRequestException or IOException or InvalidOperationException)
        {
            run.Status = "failed";
            run.Reason = ex.Message;
        }
        finally
        {
            if (server is not null)
            {
                run.Server.ExitCode = await server.StopAsync(options.StopGrace);
                await server.DisposeAsync();
            }

            Summarize(run, recorder.StatsFor(variant.Name), scenario.Client);
            run.EndedUtc = DateTimeOffset.UtcNow;
            manifest.Save(folder);
            progress.Message(Describe(run));
        }
    }

    private static void Summarize(VariantRun run, VariantStats stats, ClientOptions client)
    {
        run.Outcomes = new Dictionary<string, long>(stats.Outcomes());
        run.Scheduled = stats.Scheduled;
        run.Sent = stats.Sent;
        run.LagP50Ms = Round(stats.LagPercentile(0.50));
        run.LagP99Ms = Round(stats.LagPercentile(0.99));
        run.LagMaxMs = Round(stats.LagMax());
        var dropped = stats.Count(Outcome.Dropped);
        if (run.LagP99Ms > client.LagThresholdMs)
        {
            run.ClientLimitedWhy.Add($"dispatch lag p99 {run.LagP99Ms:0.###} ms is above the {client.LagThresholdMs} ms threshold: the client sent late");
        }

        if (dropped > 0)
        {
            run.ClientLimitedWhy.Add($"{dropped} arrivals were dropped at the in-flight cap of {client.InFlightCap}");
        }

        run.ClientLimited = run.ClientLimitedWhy.Count > 0;
    }

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);

    private static string Describe(VariantRun run)
    {
        var o = run.Outcomes;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{run.Name}: {run.Status}; scheduled {run.Scheduled}, 2xx {o.GetValueOrDefault("ok")}, 503 {o.GetValueOrDefault("503")}, " +
            $"errors {o.GetValueOrDefault("5xx") + o.GetValueOrDefault("4xx") + o.GetValueOrDefault("other") + o.GetValueOrDefault("connection_error")}, " +
            $"timeouts {o.GetValueOrDefault("timeout")}, dropped {o.GetValueOrDefault("dropped")}, still in flight at the end of the drain (aborted) {o.GetValueOrDefault("aborted")}; dispatch lag p99 {run.LagP99Ms?.ToString("0.###", CultureInfo.InvariantCulture) ?? "–"} ms");
        if (run.Reason is not null) text += $" — {run.Reason}";
        if (run.ClientLimited) text += $"\n  CLIENT-LIMITED: {string.Join("; ", run.ClientLimitedWhy)}";
        return text;
    }

    private static async Task<JsonNode?> InfoAsync(HttpClient http, Uri server, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var text = await http.GetStringAsync(new Uri(server, "/lab/info"), timeout.Token);
        return JsonNode.Parse(text);
    }

    /// <summary>A few concurrent requests before the load (not recorded), so JIT and first connections are behind us.</summary>
    private static async Task WarmUpAsync(HttpClient http, Uri server, Variant variant, int requests, CancellationToken ct)
    {
        if (requests == 0) return;
        var endpoints = LoadEngine.WeightedCycle(variant.Endpoints);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var statuses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            try
            {
                using var r = await http.GetAsync(new Uri(server, endpoints[i % endpoints.Count]), timeout.Token);
                return (int)r.StatusCode;
            }
            catch (HttpRequestException)
            {
                return 0;
            }
        }));
        // Any HTTP answer (a 504 from a request budget, a 503 from the limiter) shows the server is up;
        // only no answer at all means it is not.
        if (statuses.All(s => s == 0))
        {
            throw new InvalidOperationException($"warm-up failed: no answer at all from {server} to {endpoints[0]}");
        }
    }
}
