using System.Globalization;
using System.Text.Json;
using Lab.Client.Load;
using Lab.Contracts;

namespace Lab.Client.Tests.Reports;

/// <summary>
/// A small, fixed run folder written from code: two variants over a 3 s open profile (2 s inject, 1 s
/// pause), known requests and known server samples, so every number the report shows is known.
/// </summary>
public static class FixtureRun
{
    public const long T0 = 1_800_000_000_000;

    public static string Create(string? checks = null)
    {
        var dir = Directory.CreateTempSubdirectory("lab-fixture-").FullName;
        checks ??= """["slow.latency.p99 > 5 * fast.latency.p99", "fast.count.ok == 20", "slow.threads.max >= 10", "fast.count.503 > 0"]""";
        var load = """{"model":"open","durationS":3,"phases":[{"index":0,"kind":"inject","label":"inject 10/s","startS":0,"durationS":2},{"index":1,"kind":"pause","label":"pause","startS":2,"durationS":1}]}""";
        File.WriteAllText(Path.Combine(dir, "run.json"), $$"""
            {
              "status": "complete", "complete": true, "reasons": [], "runId": "20270115T080000Z-fixture",
              "scenario": { "name": "fixture", "file": "fixture.yaml", "claims": ["C1"], "description": "A fixed run for golden files.", "text": "",
                "resolved": { "checks": {{checks}}, "variants": [
                  { "name": "slow", "endpoints": [ { "endpoint": "/sync?delayMs=500", "weight": 1 } ], "load": {{load}} },
                  { "name": "fast", "endpoints": [ { "endpoint": "/async?delayMs=50", "weight": 1 } ], "load": {{load}} } ] } },
              "machine": { "hostName": "fixture-host", "os": "Debian GNU/Linux 12", "architecture": "X64", "processorCount": 2, "memoryBytes": 25769803776,
                           "runtime": ".NET 10.0.12", "runtimeVersion": "10.0.12", "gitCommit": "0123456789abcdef", "gitDirty": false, "clientVersion": "1.0.0" },
              "commandLine": "lab-client run fixture.yaml", "mode": "local",
              "startedUtc": "2027-01-15T08:00:00+00:00", "endedUtc": "2027-01-15T08:00:10+00:00",
              "variants": [
                { "name": "slow", "status": "complete", "t0UnixMs": {{T0}}, "server": { "samplesFile": "samples-slow.jsonl", "info": { "threadPool": { "minWorkerThreads": 2 } } }, "clientLimited": false, "clientLimitedWhy": [] },
                { "name": "fast", "status": "complete", "t0UnixMs": {{T0 + 60_000}}, "server": { "samplesFile": "samples-fast.jsonl", "info": { "threadPool": { "minWorkerThreads": 2 } } }, "clientLimited": true,
                  "clientLimitedWhy": [ "1 arrivals were dropped at the in-flight cap of 10000" ] }
              ]
            }
            """);

        var rows = new List<RequestRecord>();
        for (var k = 0; k < 20; k++)
        {
            var intended = k * 100.0;
            // slow: latency grows by 100 ms per request (a queue building up); fast: 50 ms, one 503.
            rows.Add(new RequestRecord("slow", 0, k + 1, "/sync?delayMs=500", intended, intended + 0.5, intended + 500 + k * 100, 200, Outcome.Ok, 137));
            var outcome = k == 7 ? Outcome.Status503 : Outcome.Ok;
            rows.Add(new RequestRecord("fast", 0, k + 1, "/async?delayMs=50", intended, intended + 0.2, intended + 50, outcome == Outcome.Ok ? 200 : 503, outcome, 137));
        }

        rows.Add(new RequestRecord("fast", 0, 21, "/async?delayMs=50", 1950, null, null, 0, Outcome.Dropped, 0));
        File.WriteAllLines(Path.Combine(dir, "requests.csv"), [RequestRecord.CsvHeader, .. rows.Select(r => r.ToCsv())]);

        // Server samples every 500 ms from 0.5 s before t0 to 4.5 s after: slow grows 2 → 12 threads while 30 items wait.
        File.WriteAllLines(Path.Combine(dir, "samples-slow.jsonl"), Samples(T0, i => (Math.Min(12, 2 + 2 * Math.Max(0, i - 1)), i is >= 1 and <= 6 ? 30 : 0)));
        File.WriteAllLines(Path.Combine(dir, "samples-fast.jsonl"), Samples(T0 + 60_000, _ => (3, 0)));
        return dir;
    }

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
