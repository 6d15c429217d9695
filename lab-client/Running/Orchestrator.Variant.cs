using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lab.Client.Analysis;
using Lab.Client.Load;
using Lab.Client.Recording;
using Lab.Client.Recording.Diagnostics;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Running;

public sealed partial class Orchestrator
{
    private async Task RunVariantAsync(VariantContext c, Func<string?> backendGone, CancellationToken ct)
    {
        var (scenario, variant, folder, manifest) = (c.Scenario, c.Variant, c.Folder, c.Manifest);
        var run = new VariantRun { Name = variant.Name, Repetition = c.Repetition, StartedUtc = DateTimeOffset.UtcNow, Status = "starting" };
        manifest.Variants.Add(run);
        manifest.Save(folder);
        var samplesPath = Path.Combine(folder, c.SamplesFile);
        run.Server.SamplesFile = c.SamplesFile;
        var stats = c.Recorder.StatsFor(variant.Name, c.Repetition);

        LabServerProcess? server = null;
        TargetProcess? target = null;
        EventPipeSampler? counters = null;
        StackSnapshotter? stacks = null;
        // The client's own request path warmed against a stand-in of its own, never the server under test, so the
        // first second of the load is like the rest. It needs no server, so it runs while the server starts.
        var clientWarm = LoadEngine.WarmUpClientAsync(c.Http, variant, scenario.Client, c.Repetition, 300, ct);
        try
        {
            Uri serverUrl;
            int? pid = options.TargetPid;
            if (scenario.Target is { } spec)
            {
                // The user's own server, fresh per variant run like lab-server; its environment plus the variant's.
                target = await TargetProcess.StartAsync(spec, variant.Environment, c.BackendUrl, c.Http, ct);
                serverUrl = target.Url;
                pid = spec.Telemetry == "eventpipe" ? target.ProcessId : null;
                run.Server.ProcessId = target.ProcessId;
                run.Server.CommandLine = target.CommandLine;
            }
            else if (options.ServerUrl is { } remote)
            {
                serverUrl = remote;
                // Not started here, but named: the process whose counters and stacks the run reads (null without --target-pid).
                run.Server.ProcessId = options.TargetPid;
                if (variant.ServerKnobs.Count > 0 || variant.Environment.Count > 0)
                {
                    progress.Message($"{variant.Name}: remote mode — its knobs and environment are not applied; the server runs with its own (see run.json server.info).");
                }
            }
            else
            {
                // A fresh process per variant run: a cold thread pool, nothing carried over from the last one.
                server = await LabServerProcess.StartAsync(
                    "server",
                    [
                        .. variant.ServerKnobs,
                        new("BackendUrl", c.BackendUrl.ToString()),
                        new("SampleFile", samplesPath),
                        new("EventFile", Path.Combine(folder, c.EventsFile)),
                        new("ParentProcessId", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
                    ],
                    options.ReadyTimeout, ct, environment: variant.Environment, serverDll: options.ServerDll);
                serverUrl = server.Url;
                run.Server.ProcessId = server.ProcessId;
                run.Server.CommandLine = server.CommandLine;
                run.Server.EventsFile = c.EventsFile;
                if (options.DiagnosticsPort) pid = server.ProcessId;
            }

            run.Server.Url = serverUrl.ToString();
            // The warm-up needs nothing /lab/info says (the pool's limits, the settings), so both go out at once.
            var warm = WarmUpAsync(c.Http, serverUrl, variant, scenario.Client, ct);
            var warmStarted = Stopwatch.StartNew();
            try
            {
                run.Server.Info = scenario.Target is null ? await InfoAsync(c, serverUrl, pid, ct) : null;
            }
            catch
            {
                // The variant fails on what the info request says; the warm-up's own outcome no longer matters.
                await warm.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            var labServer = run.Server.Info is not null;
            if (pid is { } p)
            {
                // The same counters dotnet-counters shows, through the process's diagnostics port, on a thread of ours:
                // the series for a server that gives no lab telemetry, a cross-check for one that does.
                var file = labServer && scenario.Target is null ? c.SamplesFile.Replace("samples-", "counters-", StringComparison.Ordinal) : c.SamplesFile;
                // A lab-server records its own pool events; any other target's come through the same EventPipe session.
                var events = labServer && scenario.Target is null ? null : c.EventsFile;
                try
                {
                    counters = await EventPipeSampler.StartAsync(p, scenario.Target?.SampleIntervalMs ?? 100, Path.Combine(folder, file), events is null ? null : Path.Combine(folder, events), ct);
                    run.Server.CountersFile = file;
                    run.Server.EventsFile ??= events;
                    if (!labServer) progress.Message($"{variant.Name}: thread-pool telemetry from process {p}'s diagnostics port (EventPipe counters and thread-pool events) into {file} and {events}.");
                }
                catch (InvalidOperationException ex)
                {
                    // The load goes on without it, and says so: beside a lab-server it was only a cross-check; for any
                    // other target the report then marks the server-side figures "no telemetry".
                    run.Server.CountersFailure = ex.Message;
                    progress.Message(labServer
                        ? $"{variant.Name}: no diagnostics-port cross-check: {ex.Message}; lab-server's own samples are unaffected."
                        : $"{variant.Name}: no thread-pool telemetry: {ex.Message}; the load runs as usual.");
                }
            }

            stacks = StartStacks(c, server, counters, pid, samplesPath);
            if (stacks is not null)
            {
                // The agent's warm-up stops the server (SIGSTOP) while it loads the DAC: before the load, so the pause
                // delays only warm-up requests, never the load's.
                await Task.WhenAny(stacks.Warmed, Task.Delay(stacks.WarmBound, ct));
                run.Server.StacksWarmPauseMs = stacks.WarmPauseMs;
            }

            // Quiet for 2 s since the warm-up began (it overlaps /lab/info and the snapshot agent's start): say why.
            var quiet = TimeSpan.FromSeconds(2) - warmStarted.Elapsed;
            if (await Task.WhenAny(warm, Task.Delay(quiet > TimeSpan.Zero ? quiet : TimeSpan.Zero, ct)) != warm && !ct.IsCancellationRequested)
            {
                // A slow endpoint makes the warm-up long (up to twice the client timeout): say so instead of going quiet.
                progress.Message(string.Create(CultureInfo.InvariantCulture,
                    $"{variant.Name}: warming up — {scenario.Client.WarmupRequests} requests not all answered after 2 s; waiting up to {WarmUpBound(scenario.Client).TotalSeconds:0.#} s (twice the client timeout, plus 5 s) before the load."));
            }

            await warm;

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _ = server?.Exited.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            _ = target?.Exited.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            using var puller = options.ServerUrl is not null && labServer ? new SamplePuller(c.Http, serverUrl, samplesPath) : null;
            using var engine = new LoadEngine(c.Http, serverUrl, variant, scenario.Client, c.Recorder, c.Repetition);
            await clientWarm;

            run.Status = "running";
            manifest.Save(folder);
            var of = c.Repeat > 1 ? $" repetition {c.Repetition}/{c.Repeat}" : "";
            progress.Message($"{scenario.Name} · {variant.Name}{of} ({c.Index + 1}/{scenario.Variants.Count}): {string.Join(", ", variant.Endpoints.Select(e => e.PathAndQuery))}, {variant.Load.Model.ToString().ToLowerInvariant()} model, {variant.Load.DurationS:0.#} s");

            bool completed;
            using (new VariantTicker(scenario, c.Index, c.Repetition, engine, stats, c.ClientMetrics, progress, samplesPath, puller))
            {
                completed = await engine.RunAsync(stop.Token);
            }

            stacks?.SetT0(engine.T0UnixMs);
            c.Recorder.Flush();
            run.T0UnixMs = engine.T0UnixMs;
            run.DispatcherScheduling = engine.Scheduling;
            run.DurationS = Math.Round(engine.ElapsedS, 3);
            if (backendGone() is { } why)
            {
                run.Status = "incomplete";
                run.Reason = why;
            }
            else if (server is { HasExited: true })
            {
                run.Status = "incomplete";
                run.Reason = $"the server (pid {server.ProcessId}) exited with code {server.ExitCode} during the load";
            }
            else if (target is { HasExited: true })
            {
                run.Status = "incomplete";
                run.Reason = $"the target (pid {target.ProcessId}) exited with code {target.ExitCode} during the load: {target.RecentOutput.Split('\n').LastOrDefault()}";
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
            run.Reason = backendGone() ?? "interrupted";
        }
        catch (Exception ex) when (ex is LabServerStartException or HttpRequestException or IOException or InvalidOperationException or OperationCanceledException or JsonException)
        {
            run.Status = "failed";
            run.Reason = ex is OperationCanceledException ? $"gave up waiting: {ex.Message}" : ex.Message;
        }
        finally
        {
            // Ended early (a server that did not start, Ctrl+C): the warm-up's own outcome no longer matters.
            await clientWarm.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stacks is not null)
            {
                stacks.Dispose();
                if (stacks.Best is not null) run.Server.StacksFile = c.StacksFile;
                run.Server.StacksWarmPauseMs ??= stacks.WarmPauseMs;
                run.Server.StacksFailure = stacks.Failure;
                if (stacks.Failure is { } why) progress.Message($"{variant.Name}: stack snapshots — {why}");
            }

            counters?.Dispose();
            if (counters?.Failure is { } failure) run.Reason = string.Join("; ", new[] { run.Reason, $"diagnostics port: {failure}" }.OfType<string>());
            if (server is not null)
            {
                run.Server.ExitCode = await server.StopAsync(options.StopGrace);
                await server.DisposeAsync();
            }

            if (target is not null)
            {
                run.Server.ExitCode = await target.StopAsync(options.StopGrace);
                await target.DisposeAsync();
            }

            Summarize(run, stats, scenario.Client, variant.Load);
            run.EndedUtc = DateTimeOffset.UtcNow;
            manifest.Save(folder);
            progress.Message(Describe(run));
        }
    }

    /// <summary>
    /// Stack snapshots of the server at the top of its stall, when the scenario wants any and the process is on this
    /// machine: a lab-server started here (its queue from its sample file) or a target read through its diagnostics
    /// port (its queue from the EventPipe counters).
    /// </summary>
    private static StackSnapshotter? StartStacks(VariantContext c, LabServerProcess? server, EventPipeSampler? counters, int? pid, string samplesPath)
    {
        var max = c.Scenario.Client.StackSnapshots;
        if (max == 0) return null;
        Func<ServerSample?>? latest = null;
        int? target = null;
        if (server is not null)
        {
            var tail = new SampleTail(samplesPath);
            latest = () =>
            {
                tail.Poll();
                return tail.Latest;
            };
            target = server.ProcessId;
        }
        else if (counters is not null && pid is { } p)
        {
            latest = () => counters.Latest;
            target = p;
        }

        if (latest is null || target is not { } id) return null;
        return new StackSnapshotter(id, latest, Path.Combine(c.Folder, c.StacksFile), c.Variant.Name, c.Repetition, max, c.Scenario.Client.StackMinQueue);
    }

    private static void Summarize(VariantRun run, VariantStats stats, ClientOptions client, LoadProfile load)
    {
        run.Outcomes = new Dictionary<string, long>(stats.Outcomes());
        run.Scheduled = stats.Scheduled;
        run.Sent = stats.Sent;
        run.LagP50Ms = Round(stats.LagPercentile(0.50));
        run.LagP99Ms = Round(stats.LagPercentile(0.99));
        run.LagMaxMs = Round(stats.LagMax());
        var threshold = client.LagThresholdMs ?? ClientLimitRule.DefaultThresholdMs(ResolvedLoad.Of(load));
        var judgement = ClientLimitRule.Judge(stats.LagPercentile, stats.Sent, stats.Count(Outcome.Dropped), client.InFlightCap, threshold);
        run.ClientLimitedWhy.Clear();
        run.ClientLimitedWhy.AddRange(judgement.Why);
        run.ClientLimited = judgement.Limited;
    }

    private static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 3);

    private static string Describe(VariantRun run)
    {
        var o = run.Outcomes;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{run.Label}: {run.Status}; scheduled {run.Scheduled}, 2xx {o.GetValueOrDefault("ok")}, 503 {o.GetValueOrDefault("503")}, " +
            $"errors {o.GetValueOrDefault("5xx") + o.GetValueOrDefault("4xx") + o.GetValueOrDefault("other") + o.GetValueOrDefault("connection_error")}, " +
            $"timeouts {o.GetValueOrDefault("timeout")}, dropped {o.GetValueOrDefault("dropped")}, still in flight at the end of the drain (aborted) {o.GetValueOrDefault("aborted")}; dispatch lag p99 {run.LagP99Ms?.ToString("0.###", CultureInfo.InvariantCulture) ?? "–"} ms");
        if (run.Reason is not null) text += $" — {run.Reason}";
        if (run.ClientLimited) text += $"\n  CLIENT-LIMITED: {string.Join("; ", run.ClientLimitedWhy)}";
        return text;
    }

    /// <summary>
    /// The server's description of itself (<c>GET /lab/info</c>). A target that is not a lab-server answers 404
    /// (or anything else): that is no error — the run goes on, with the diagnostics port's telemetry when
    /// <paramref name="pid"/> is given and none otherwise, and says so once per run, whatever the variants.
    /// </summary>
    private async Task<JsonNode?> InfoAsync(VariantContext c, Uri server, int? pid, CancellationToken ct)
    {
        var url = new Uri(server, "/lab/info");
        var bound = WarmUpBound(c.Scenario.Client);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(bound);
        var instead = pid is { } p
            ? $"so its server-side figures come from process {p}'s diagnostics port (EventPipe counters, read by the client) instead; the load runs as usual."
            : "so it gives no lab telemetry: the load runs as usual and the report marks the server-side figures \"no telemetry\" (--target-pid PID reads a local .NET server's thread pool through its diagnostics port).";
        try
        {
            using var response = await c.Http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                c.SayOnce(progress, $"GET {url} → {(int)response.StatusCode} {response.ReasonPhrase}: this target is not a lab-server, {instead}");
                return null;
            }

            return JsonNode.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
        }
        catch (JsonException)
        {
            c.SayOnce(progress, $"GET {url} did not answer JSON: this target is not a lab-server, {instead}");
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"GET {url} got no answer within {bound.TotalSeconds:0.#} s (twice the client timeout, plus 5 s): the server does not answer.");
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"GET {url} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// How long the server's description and the warm-up may take: twice the client's own request timeout plus 5 s,
    /// so a request the load would wait for (an endpoint that takes a minute under a two-minute timeout) is waited
    /// for here too. A fixed bound below the timeout made such a variant end in an uncaught cancellation.
    /// </summary>
    public static TimeSpan WarmUpBound(ClientOptions client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return TimeSpan.FromSeconds(2 * client.TimeoutS + 5);
    }

    /// <summary>
    /// A few concurrent requests before the load (not recorded), so JIT and first connections are behind us. Bounded
    /// by twice the client's own request timeout plus 5 s, so an endpoint that takes a minute is waited for, not failed.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, Uri server, Variant variant, ClientOptions client, CancellationToken ct)
    {
        if (client.WarmupRequests == 0) return;
        var endpoints = LoadEngine.WeightedCycle(variant.Endpoints);
        var bound = WarmUpBound(client);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(bound);
        var statuses = await Task.WhenAll(Enumerable.Range(0, client.WarmupRequests).Select(async i =>
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
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return -1;
            }
        }));
        // Any HTTP answer (a 504 from a request budget, a 503 from the limiter) shows the server is up;
        // only no answer at all means it is not.
        if (statuses.All(s => s <= 0))
        {
            var why = statuses.All(s => s < 0) ? $"no answer within {bound.TotalSeconds:0.#} s (twice the client timeout, plus 5 s)" : "no answer at all (connection refused or reset)";
            throw new InvalidOperationException($"warm-up failed: {why} from {server} to {endpoints[0]}");
        }
    }
}
