using System.Globalization;
using System.Text.Json;
using Lab.Client.Load;
using Lab.Client.Recording;
using Lab.Client.Recording.Diagnostics;
using Lab.Client.Scenarios;
using Lab.Contracts;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// A small, fixed run folder written from code through the lab's own records: two variants over a 3 s open
/// profile (2 s inject, 1 s pause), known requests and known server samples, so every number the report shows
/// is known. With repetitions, each repetition's latencies are scaled by its number (×1, ×2, …).
/// </summary>
public static class FixtureRun
{
    public const long T0 = 1_800_000_000_000;

    /// <summary>The fixture machine's processor, as <c>/proc/cpuinfo</c> would name it.</summary>
    public const string FixtureCpu = "Fixture CPU E-1234 @ 2.00GHz";

    public const string DefaultChecks = """["slow.latency.p99 > 5 * fast.latency.p99", "fast.count.ok == 20", "slow.threads.max >= 5", "fast.count.503 > 0"]""";

    /// <param name="checks">The checks, as a YAML (or JSON) flow list.</param>
    /// <param name="repetitions">Repetitions of each variant.</param>
    /// <param name="incomplete">Variant runs ("slow#2") recorded as cut off by a killed server.</param>
    /// <param name="extraParams">Extra YAML lines under params:.</param>
    /// <param name="claims">The claims, as a YAML flow list.</param>
    /// <param name="client">The client settings, as a YAML flow map.</param>
    /// <param name="extraRequests">More request records, appended to requests.csv (timeouts, errors).</param>
    /// <param name="slowModel">The slow variant's model: section, as a YAML flow map (none when empty).</param>
    /// <param name="poolEvents">
    /// Write each variant's pool events (<see cref="SlowEvents"/>: slow's pool adds two threads for cooperative blocking
    /// at 1.1 and 1.3 s and one for starvation at 2.2 s; fast's adds none) and a stack snapshot of slow (<see cref="SlowStacks"/>).
    /// </param>
    /// <param name="slowServer">The slow variant's server: section, as a YAML flow map (none when empty); the server reports 24 connections for a MaxConnectionsPerServer it sets.</param>
    public static string Create(string? checks = null, int repetitions = 1, string[]? incomplete = null, string extraParams = "", string claims = "[C1]",
        string client = "{ drainS: 2 }", IEnumerable<RequestRecord>? extraRequests = null, string slowModel = "", bool poolEvents = false, string slowServer = "")
    {
        var dir = Directory.CreateTempSubdirectory("lab-fixture-").FullName;
        var yaml = $$"""
            name: fixture
            description: A fixed run for golden files, {delayMs} ms.
            claims: {{claims}}
            params:
              delayMs: 500
            {{extraParams}}
            load:
              model: open
              phases:
                - inject: { ratePerS: 10, durationS: 2 }
                - pause: { durationS: 1 }
            variants:
              - name: slow
                endpoint: /sync?delayMs={delayMs}
            {{(slowModel.Length > 0 ? "    model: " + slowModel : "")}}
            {{(slowServer.Length > 0 ? "    server: " + slowServer : "")}}
              - name: fast
                endpoint: /async?delayMs=50
            client: {{client}}
            checks: {{checks ?? DefaultChecks}}
            """;
        var scenario = ScenarioLoader.Parse(yaml, "fixture.yaml", processorCount: 2);
        File.WriteAllText(Path.Combine(dir, "scenario.yaml"), yaml);
        var manifest = new RunManifest
        {
            RunId = "20270115T080000Z-fixture",
            Status = RunStatus.Complete,
            Complete = incomplete is not { Length: > 0 },
            Scenario = new ScenarioInfo("fixture", "fixture.yaml", scenario.Claims, scenario.Description, yaml, ResolvedScenario.Of(scenario) with { Repeat = repetitions }),
            Machine = new MachineInfo("fixture-host", "Debian GNU/Linux 12", "X64", 2, 25769803776, ".NET 10.0.12", "10.0.12", "0123456789abcdef", false, "1.0.0", FixtureCpu),
            CommandLine = "lab-client run fixture.yaml",
            Mode = "local",
            StartedUtc = DateTimeOffset.Parse("2027-01-15T08:00:00+00:00", CultureInfo.InvariantCulture),
            EndedUtc = DateTimeOffset.Parse("2027-01-15T08:00:10+00:00", CultureInfo.InvariantCulture),
        };
        if (!manifest.Complete) manifest.Status = RunStatus.Incomplete;

        var rows = new List<RequestRecord>();
        for (var rep = 1; rep <= repetitions; rep++)
        {
            foreach (var (name, offset) in new[] { ("slow", 0L), ("fast", 60_000L) })
            {
                var key = $"{name}#{rep}";
                var t0 = T0 + offset + (rep - 1) * 120_000L;
                var cut = incomplete?.Contains(key) == true;
                var run = new VariantRun
                {
                    Name = name,
                    Repetition = rep,
                    Status = cut ? "incomplete" : "complete",
                    Reason = cut ? "the server exited with code 137 during the load" : null,
                    T0UnixMs = t0,
                    Server = { SamplesFile = repetitions == 1 ? $"samples-{name}.jsonl" : $"samples-{name}-r{rep}.jsonl", Info = Info(name == "slow" && slowServer.Contains("12xCPU", StringComparison.Ordinal)) },
                    ClientLimited = name == "fast",
                };
                if (name == "fast") run.ClientLimitedWhy.Add("1 arrivals were dropped at the client's in-flight cap of 10000");
                if (poolEvents)
                {
                    run.Server.EventsFile = repetitions == 1 ? $"events-{name}.jsonl" : $"events-{name}-r{rep}.jsonl";
                    File.WriteAllLines(Path.Combine(dir, run.Server.EventsFile), (name == "slow" ? SlowEvents(t0) : [Event(t0, -500, PoolEventKinds.Start) with { MinThreads = 2, MaxThreads = 32767, Format = 1 }])
                        .Select((e, n) => JsonSerializer.Serialize(e with { Seq = n + 1 }, ContractsJson.Default.PoolEvent)));
                    if (name == "slow")
                    {
                        run.Server.StacksFile = repetitions == 1 ? "stacks-slow.json" : $"stacks-slow-r{rep}.json";
                        SlowStacks(t0).Write(Path.Combine(dir, run.Server.StacksFile));
                    }
                }

                manifest.Variants.Add(run);
                File.WriteAllLines(Path.Combine(dir, run.Server.SamplesFile!), name == "slow"
                    ? Samples(t0, i => (Math.Min(12, 2 + 2 * Math.Max(0, i - 1)), i is >= 1 and <= 6 ? 30 : 0))
                    : Samples(t0, _ => (3, 0)));
            }

            for (var k = 0; k < 20; k++)
            {
                var intended = k * 100.0;
                // slow: latency grows by 100 ms per request (a queue building up); fast: 50 ms, one 503.
                rows.Add(new RequestRecord("slow", rep, 0, k + 1, "/sync?delayMs=500", intended, intended + 0.5, intended + (500 + k * 100) * rep, 200, Outcome.Ok, 137));
                var outcome = k == 7 ? Outcome.Status503 : Outcome.Ok;
                rows.Add(new RequestRecord("fast", rep, 0, k + 1, "/async?delayMs=50", intended, intended + 0.2, intended + 50 * rep, outcome == Outcome.Ok ? 200 : 503, outcome, 137));
            }

            rows.Add(new RequestRecord("fast", rep, 0, 21, "/async?delayMs=50", 1950, null, null, 0, Outcome.Dropped, 0));
        }

        manifest.Save(dir);
        rows.AddRange(extraRequests ?? []);
        File.WriteAllLines(Path.Combine(dir, "requests.csv"), [RequestRecord.CsvHeader, .. rows.Select(r => r.ToCsv())]);
        return dir;
    }

    public const string BlockedHeadline = "Monitor.Wait ← TaskAwaiter.GetResult ← ServerEndpoints.SyncOverAsync";
    public const string IdleHeadline = "LowLevelLifoSemaphore.WaitForSignal ← WorkerThread.WorkerThreadStart";
    public const string TimerHeadline = "Monitor.Wait ← TimerQueue.TimerThread";

    /// <summary>slow's pool (minimum 2): cooperative blocking raises the goal to 3 and 4 (threads start at 1.11 and 1.31 s), starvation to 5 (2.21 s); a goal falling back adds nothing.</summary>
    public static IEnumerable<PoolEvent> SlowEvents(long t0) =>
    [
        Event(t0, -500, PoolEventKinds.Start) with { MinThreads = 2, MaxThreads = 32767, Format = 1 },
        Event(t0, -400, PoolEventKinds.WorkerStart) with { ActiveWorkers = 2 },
        Event(t0, 1100, PoolEventKinds.Adjustment) with { Reason = "cooperativeBlocking", ThreadsGoal = 3 },
        Event(t0, 1110, PoolEventKinds.WorkerStart) with { ActiveWorkers = 3 },
        Event(t0, 1300, PoolEventKinds.Adjustment) with { Reason = "cooperativeBlocking", ThreadsGoal = 4 },
        Event(t0, 1310, PoolEventKinds.WorkerStart) with { ActiveWorkers = 4 },
        Event(t0, 1800, PoolEventKinds.Adjustment) with { Reason = "cooperativeBlocking", ThreadsGoal = 3 },
        Event(t0, 2200, PoolEventKinds.Adjustment) with { Reason = "starvation", ThreadsGoal = 5 },
        Event(t0, 2210, PoolEventKinds.WorkerStart) with { ActiveWorkers = 5 },
    ];

    /// <summary>slow's snapshot at 1.5 s: 6 threads blocked in sync-over-async, 2 idle workers, the timer thread.</summary>
    public static StackSnapshot SlowStacks(long t0) => new()
    {
        Variant = "slow",
        ProcessId = 4242,
        UnixMs = t0 + 1500,
        TimeS = 1.5,
        QueueLength = 30,
        PoolThreads = 8,
        PauseMs = 21,
        Threads = 9,
        Groups =
        [
            new StackGroup(6, ["System.Threading.Monitor.Wait", "System.Runtime.CompilerServices.TaskAwaiter.GetResult", "Lab.Server.Server.ServerEndpoints.SyncOverAsync"], BlockedHeadline, 2),
            new StackGroup(2, ["System.Threading.LowLevelLifoSemaphore.WaitForSignal", "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart"], IdleHeadline, -1),
            new StackGroup(1, ["System.Threading.Monitor.Wait", "System.Threading.TimerQueue.TimerThread"], TimerHeadline, -1),
        ],
        Headlines = [new HeadlineCount(BlockedHeadline, 6), new HeadlineCount(IdleHeadline, 2), new HeadlineCount(TimerHeadline, 1)],
        Attempts = [new SnapshotAttempt(t0 + 1500, 1.5, 30, 21, 9)],
    };

    /// <summary>What a lab-server reports at /lab/info, the settings part shortened to the knobs a report shows.</summary>
    public static System.Text.Json.Nodes.JsonNode? Info(bool capped) => JsonSerializer.SerializeToNode(new
    {
        runtime = ".NET 10.0.14", // the server's own, apart from the client's (MachineInfo)
        serverGc = true,
        processorCount = 2,
        threadPool = new { minWorkerThreads = 2, maxWorkerThreads = 32767 },
        settings = new
        {
            concurrencyLimit = (int?)null,
            queueLimit = 1000,
            requestTimeoutMs = (int?)null,
            maxConnectionsPerServer = capped ? new { text = "12xCPU", connections = 24, isUnlimited = false } : new { text = "unlimited", connections = int.MaxValue, isUnlimited = true },
            prewarmConnections = 0,
        },
    });

    private static PoolEvent Event(long t0, double ms, string kind) => new() { UnixMs = t0 + ms, MonoMs = 1000 + ms, Kind = kind, OsThreadId = 77 };

    /// <summary>Server samples every 500 ms from 0.5 s before t0 to 4.5 s after.</summary>
    private static IEnumerable<string> Samples(long t0, Func<int, (int Threads, long Queue)> f)
    {
        for (var i = 0; i <= 10; i++)
        {
            var (threads, queue) = f(i);
            var s = new ServerSample
            {
                Seq = i + 1,
                UnixMs = t0 - 500 + i * 500,
                MonoMs = i * 500,
                ThreadPoolThreadCount = threads,
                ThreadPoolQueueLength = queue,
                ProcessThreadCount = threads + 20,
                WorkingSetBytes = (60 + threads) * 1024L * 1024,
                VirtualBytes = (1000 + 8 * threads) * 1024L * 1024,
                PrivateBytes = (100 + 8 * threads) * 1024L * 1024,
                GcHeapBytes = 5 * 1024L * 1024,
                CpuTimeS = i * 0.05,
                ActiveRequests = queue / 3,
            };
            yield return JsonSerializer.Serialize(s, ContractsJson.Default.ServerSample);
        }
    }

    public static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
