using System.Globalization;
using Lab.Client.Load;
using Lab.Client.Progress;
using Lab.Client.Recording;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// Runs one scenario end to end: a backend once, then per variant and repetition — interleaved, A B A B, so
/// drift on a noisy machine hits every variant alike — a fresh server (cold thread pool) with the variant's
/// knobs, warm-up, the load profile, and a stop by PID (SIGTERM, then SIGKILL). Everything is recorded as it
/// happens; whatever ends the run — completion, Ctrl+C, an exception, a crashed server or backend — the
/// processes it started are stopped and run.json says how it ended and why.
/// </summary>
public sealed partial class Orchestrator(RunOptions options, IProgressSink progress)
{
    public async Task<RunResult> RunAsync(Scenario scenario, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (options.ServerUrl is { } named && scenario.Target is { } target)
        {
            // The command line names the server to load, as --set overrides a parameter: the scenario's own target is not
            // started. (It was: a run of your-app.yaml with --server-url started a second PeerApp, loaded that one, and
            // left the server the user named untouched.) Its telemetry setting goes with it; --target-pid brings it back.
            progress.Message($"{scenario.Name}: --server-url {named} given: the scenario's target ({string.Join(' ', target.Command)}) is not started; the load goes to {named}.");
            scenario = scenario with { Target = null };
        }

        var folder = RunFolder.Create(options.ResultsRoot, scenario.Name, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Combine(folder, "scenario.yaml"), scenario.SourceText, CancellationToken.None);
        var repeat = scenario.Repetitions(options.Repeat);
        if (options.Repeat is { } asked && asked < repeat)
        {
            progress.Message($"{scenario.Name}: {repeat} repetitions, not the {asked} asked: its repeat: is the fewest its verdict needs.");
        }

        var resolved = ResolvedScenario.Of(scenario) with { Repeat = repeat };
        var manifest = new RunManifest
        {
            RunId = Path.GetFileName(folder),
            Scenario = new ScenarioInfo(scenario.Name, Path.GetFullPath(scenario.SourcePath), scenario.Claims, scenario.Description, scenario.SourceText, resolved),
            Machine = MachineProbe.Describe(LabServerLocator.RepositoryRoot(AppContext.BaseDirectory)),
            CommandLine = options.CommandLine,
            Mode = options.ServerUrl is null ? "local" : "remote",
            Client = ClientProcess.Current(),
        };
        manifest.Save(folder);

        using var recorder = new RequestRecorder(Path.Combine(folder, "requests.csv"));
        var said = new HashSet<string>(StringComparer.Ordinal);
        using var clientMetrics = new ClientMetricsWriter(Path.Combine(folder, "client-metrics.csv"));
        using var http = LoadHttpClient.Create(scenario.Client);
        LabServerProcess? backend = null;
        using var backendGone = CancellationTokenSource.CreateLinkedTokenSource(ct);
        string? backendReason = null;
        try
        {
            Uri backendUrl;
            if (options.BackendUrl is { } remoteBackend)
            {
                backendUrl = remoteBackend;
                manifest.Backend = new ProcessInfo { Url = remoteBackend.ToString() };
            }
            else if (options.ServerUrl is not null || scenario.Target is { UsesBackend: false })
            {
                // A server started by hand already has its backend, and a target of the user's own that never names $BACKEND
                // needs none: starting one would serve no one.
                backendUrl = new Uri("http://no-lab-backend.invalid/");
                manifest.Backend = new ProcessInfo { Url = scenario.Target is null ? "(the remote server's own; see variants[].server.info.settings.backendUrl)" : "(none: the target does not use one)" };
            }
            else
            {
                var samples = Path.Combine(folder, "samples-backend.jsonl");
                var events = Path.Combine(folder, "events-backend.jsonl");
                backend = await LabServerProcess.StartAsync(
                    "backend",
                    [.. scenario.BackendKnobs, new("SampleFile", samples), new("EventFile", events), new("ParentProcessId", Environment.ProcessId.ToString(CultureInfo.InvariantCulture))],
                    options.ReadyTimeout, ct, serverDll: options.ServerDll);
                backendUrl = backend.Url;
                manifest.Backend = new ProcessInfo
                {
                    Url = backend.Url.ToString(), ProcessId = backend.ProcessId, CommandLine = backend.CommandLine,
                    SamplesFile = Path.GetFileName(samples), EventsFile = Path.GetFileName(events),
                };
                var pid = backend.ProcessId;
                // The backend is part of the experiment: if it dies, the variant running is cut off and no other runs.
                _ = backend.Exited.ContinueWith(t =>
                {
                    if (backendGone.IsCancellationRequested) return;
                    backendReason = $"the backend (lab-server backend, pid {pid}) exited with code {t.Result} during the run; {backend.StandardError.Split('\n').LastOrDefault(l => l.Length > 0) ?? "no message"}";
                    backendGone.Cancel();
                }, TaskScheduler.Default);
            }

            manifest.Save(folder);
            progress.Message($"{scenario.Name}: backend {backendUrl} · results in {folder}{(repeat > 1 ? $" · {repeat} repetitions, interleaved" : "")}");
            for (var rep = 1; rep <= repeat && !backendGone.IsCancellationRequested; rep++)
            {
                for (var i = 0; i < scenario.Variants.Count && !backendGone.IsCancellationRequested; i++)
                {
                    await RunVariantAsync(new VariantContext(scenario, i, rep, repeat, backendUrl, folder, manifest, recorder, clientMetrics, http, said),
                        () => backendReason, backendGone.Token);
                }
            }

            if (backendReason is not null) manifest.Reasons.Add(backendReason);
            else if (ct.IsCancellationRequested) manifest.Reasons.Add("interrupted (Ctrl+C or SIGTERM) before every variant ran");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            manifest.Reasons.Add("interrupted (Ctrl+C or SIGTERM)");
        }
        catch (LabServerStartException ex)
        {
            manifest.Reasons.Add(ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever went wrong, the run folder says what, and the report is still written.
            manifest.Reasons.Add($"the run stopped on an unexpected {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (backend is not null)
            {
                backendGone.Cancel();
                manifest.Backend!.ExitCode = await backend.StopAsync(options.StopGrace);
                await backend.DisposeAsync();
            }

            // Every request has a record now (answered, failed, or aborted at the end): the journal is not needed.
            recorder.Complete();
            manifest.Complete = manifest.Reasons.Count == 0 && manifest.Variants.Count == scenario.Variants.Count * repeat && manifest.Variants.All(v => v.Status == "complete");
            manifest.Status = manifest.Complete ? RunStatus.Complete : RunStatus.Incomplete;
            manifest.ClientLimited = manifest.Variants.Any(v => v.ClientLimited);
            manifest.EndedUtc = DateTimeOffset.UtcNow;
            manifest.Save(folder);
        }

        var reasons = manifest.Reasons.Concat(manifest.Variants.Where(v => v.Reason is not null).Select(v => $"{v.Label}: {v.Reason}")).ToList();
        return new RunResult(folder, manifest.Complete, manifest.ClientLimited, reasons);
    }

    /// <summary>
    /// What one variant run needs from the scenario run around it; <c>Said</c> holds the messages this run has shown
    /// already, so what holds for every variant run is said once.
    /// </summary>
    private sealed record VariantContext(
        Scenario Scenario, int Index, int Repetition, int Repeat, Uri BackendUrl, string Folder, RunManifest Manifest,
        RequestRecorder Recorder, ClientMetricsWriter ClientMetrics, HttpClient Http, ISet<string> Said)
    {
        /// <summary>Shows <paramref name="message"/> unless this run has shown it already.</summary>
        public void SayOnce(IProgressSink progress, string message)
        {
            if (Said.Add(message)) progress.Message(message);
        }

        public Variant Variant => Scenario.Variants[Index];

        public string SamplesFile => FileName("samples", "jsonl");

        /// <summary>The runtime's thread-pool events of this variant run.</summary>
        public string EventsFile => FileName("events", "jsonl");

        /// <summary>The stack snapshot at the stall's worst moment.</summary>
        public string StacksFile => FileName("stacks", "json");

        private string FileName(string kind, string extension) =>
            Repeat == 1 ? $"{kind}-{Variant.Name}.{extension}" : $"{kind}-{Variant.Name}-r{Repetition}.{extension}";
    }
}
