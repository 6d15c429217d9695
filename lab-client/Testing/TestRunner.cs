using System.Diagnostics;
using Lab.Client.Running;

namespace Lab.Client.Testing;

/// <summary>
/// What <c>./run-lab.sh test</c> does: installs the Debian packages the tests need when it can (root and
/// apt-get), builds the solution with warnings as errors, then runs <c>dotnet test</c> once per tier —
/// unit, in-memory, real processes (that one per test project, one after another) — timing each and summing the counts. A prerequisite it cannot install
/// leaves its tests skipped with the reason; with <c>LAB_TESTS_REFUSE_SKIPS=1</c> (CI) they fail instead.
/// </summary>
public sealed class TestRunner(TextWriter output, TextWriter errors)
{
    public static readonly string[] Tiers = ["Unit", "InMemory", "Processes"];

    public async Task<int> RunAsync(IReadOnlyList<string> tiers, bool install, IReadOnlyList<string> extraArguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var root = LabServerLocator.RepositoryRoot(AppContext.BaseDirectory) ?? LabServerLocator.RepositoryRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("run the tests from a clone of the repository (no Lab.sln found above this folder)");

        var missing = TestPrerequisite.All.Where(p => !p.IsInstalled).ToList();
        if (missing.Count > 0 && install)
        {
            await InstallAsync(missing, ct);
            missing = [.. TestPrerequisite.All.Where(p => !p.IsInstalled)];
        }

        foreach (var p in missing)
        {
            await errors.WriteLineAsync($"test: {p.Name} is missing (apt-get install {p.DebianPackage}); the tests that need it ({p.Purpose}) will be skipped, or fail where skips are refused.");
        }

        var build = await RunAsync(root, ["build", "Lab.sln", "-c", "Debug", "-warnaserror", "--nologo", "-v", "quiet", "-clp:NoSummary"], _ => { }, ct);
        if (build != 0)
        {
            await errors.WriteLineAsync($"test: the build failed (exit {build}); no test ran.");
            return 1;
        }

        var results = new List<TierResult>();
        foreach (var tier in tiers)
        {
            int passed = 0, failed = 0, skipped = 0;
            var sw = Stopwatch.StartNew();
            void Count(string line)
            {
                if (TierResult.ParseSummary(line) is { } s)
                {
                    passed += s.Passed;
                    failed += s.Failed;
                    skipped += s.Skipped;
                }
            }

            // The real-process tier one test project after another: each takes the machine-wide test lock for its whole
            // run, so side by side one only waited for the other — and the server tests, waiting longer than the lock's
            // bound behind the client's eleven minutes, once failed in CI without having run. The other tiers run the
            // solution's projects side by side.
            var exit = 0;
            foreach (var target in tier == "Processes" ? TestProjects(root) : ["Lab.sln"])
            {
                var code = await RunAsync(root, ["test", target, "--no-build", "-c", "Debug", "--filter", $"Tier={tier}", "--blame-hang-timeout", "15m", .. extraArguments], Count, ct);
                if (exit == 0) exit = code;
                if (ct.IsCancellationRequested) break;
            }

            var result = new TierResult(tier, passed, failed, skipped, sw.Elapsed, exit);
            results.Add(result);
            await output.WriteLineAsync($"test: tier {result.Line}");
            if (ct.IsCancellationRequested) break;
        }

        await output.WriteLineAsync();
        foreach (var r in results) await output.WriteLineAsync($"  {r.Line}");
        var total = new TierResult("all", results.Sum(r => r.Passed), results.Sum(r => r.Failed), results.Sum(r => r.Skipped),
            TimeSpan.FromTicks(results.Sum(r => r.Elapsed.Ticks)), results.Select(r => r.ExitCode).FirstOrDefault(c => c != 0));
        // The summary line CI prints: "N passed, N failed, N skipped".
        await output.WriteLineAsync($"{total.Passed} passed, {total.Failed} failed, {total.Skipped} skipped ({total.Elapsed.TotalMinutes:0.0} min)");
        if (total.Passed == 0 && total.Failed == 0)
        {
            await errors.WriteLineAsync("test: no test ran.");
            return 1;
        }

        return total.Failed > 0 || total.ExitCode != 0 || results.Count < tiers.Count ? 1 : 0;
    }

    /// <summary>The solution's test projects (tests/*/*.Tests.csproj), in a fixed order: the server's first, it is the shorter.</summary>
    internal static IReadOnlyList<string> TestProjects(string root) =>
        [.. Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.Tests.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p))
            .OrderBy(p => p.Contains("Server", StringComparison.Ordinal) ? 0 : 1).ThenBy(p => p, StringComparer.Ordinal)];

    private async Task InstallAsync(List<TestPrerequisite> missing, CancellationToken ct)
    {
        var packages = missing.Select(p => p.DebianPackage).Distinct().ToArray();
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get"))
        {
            await errors.WriteLineAsync($"test: cannot install {string.Join(", ", packages)} here (no apt-get); install them yourself.");
            return;
        }

        if (Environment.UserName != "root" && Environment.GetEnvironmentVariable("SUDO_USER") is null && !IsRoot())
        {
            await errors.WriteLineAsync($"test: not root, so {string.Join(", ", packages)} cannot be installed: sudo apt-get install {string.Join(' ', packages)}");
            return;
        }

        await output.WriteLineAsync($"test: installing {string.Join(", ", packages)} (apt-get) for the tests that need them");
        var update = await RunAsync("/", "apt-get", ["update", "-qq"], _ => { }, ct, quiet: true);
        var install = await RunAsync("/", "apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. packages], _ => { }, ct, quiet: true,
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        if (update != 0 || install != 0)
        {
            await errors.WriteLineAsync($"test: apt-get failed (update exit {update}, install exit {install}).");
        }
    }

    private static bool IsRoot() => File.Exists("/proc/self/status")
        && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } uid
        && uid.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";

    private Task<int> RunAsync(string directory, IReadOnlyList<string> arguments, Action<string> onLine, CancellationToken ct) =>
        RunAsync(directory, "dotnet", arguments, onLine, ct);

    /// <summary>Runs a child process, echoing its output line by line; on Ctrl+C stops it (and its children) by PID.</summary>
    private async Task<int> RunAsync(string directory, string file, IReadOnlyList<string> arguments, Action<string> onLine, CancellationToken ct,
        bool quiet = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var process = new Process { StartInfo = psi };
        var gate = new Lock();
        void Echo(string? line, TextWriter to)
        {
            if (line is null) return;
            lock (gate)
            {
                onLine(line);
                if (!quiet) to.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Echo(e.Data, output);
        process.ErrorDataReceived += (_, e) => Echo(e.Data, errors);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return 130;
        }

        return process.ExitCode;
    }
}
