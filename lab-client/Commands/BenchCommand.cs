using System.CommandLine;
using System.Diagnostics;
using Lab.Client.Bench;
using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary>
/// <c>bench</c>: runs the BenchmarkDotNet project (lab-bench) as its own process with a short job by default,
/// then copies the exported Markdown and CSV tables into <c>results/&lt;timestamp&gt;-bench/</c> with a
/// <c>bench.md</c> index the claims report links to.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var filter = new Option<string[]>("--filter") { Description = "BenchmarkDotNet filters (globs over Namespace.Class.Method), default every benchmark.", AllowMultipleArgumentsPerToken = true };
        var job = new Option<string>("--job") { Description = "BenchmarkDotNet job: dry, short, medium, long or default.", DefaultValueFactory = _ => "short" };
        job.AcceptOnlyFromAmong("dry", "short", "medium", "long", "default");
        var inProcess = new Option<bool>("--in-process") { Description = "Run benchmarks inside the benchmark process instead of a generated, separately built one (faster, less isolated)." };
        var output = new Option<string?>("--out") { Description = "Results root (default: the repository's results/)." };
        var command = new Command("bench", "Run the BenchmarkDotNet micro-benchmarks of per-call costs (C9, C12, the pool) and export their tables into results/.")
        {
            filter, job, inProcess, output,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(filter) ?? [], parse.GetValue(job)!, parse.GetValue(inProcess), parse.GetValue(output), ct));
        return command;
    }

    public static async Task<int> RunAsync(string[] filters, string job, bool inProcess, string? outDir, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filters);
        string dll;
        try
        {
            dll = BenchLocator.Find();
        }
        catch (FileNotFoundException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ExitCodes.BadArguments;
        }

        var folder = RunFolder.Create(Path.GetFullPath(outDir ?? ClientPaths.DefaultResultsRoot()), "bench", DateTimeOffset.UtcNow);
        var artifacts = Path.Combine(folder, "bdn");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--filter");
        foreach (var f in filters.Length == 0 ? ["*"] : filters) start.ArgumentList.Add(f);
        start.ArgumentList.Add("--job");
        start.ArgumentList.Add(job);
        start.ArgumentList.Add("--artifacts");
        start.ArgumentList.Add(artifacts);
        if (inProcess) start.ArgumentList.Add("--inProcess");
        var commandLine = "dotnet " + string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains('*', StringComparison.Ordinal) ? $"'{a}'" : a));
        Console.WriteLine($"bench: {commandLine}");

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        int exitCode;
        try
        {
            await process.WaitForExitAsync(ct);
            exitCode = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop the benchmark process we started (and the benchmark host it started), by PID.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            exitCode = -1;
        }

        var tables = 0;
        foreach (var file in Directory.Exists(Path.Combine(artifacts, "results"))
            ? Directory.GetFiles(Path.Combine(artifacts, "results")).Where(f => f.EndsWith("-report-github.md", StringComparison.Ordinal) || f.EndsWith("-report.csv", StringComparison.Ordinal))
            : [])
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: false);
            tables++;
        }

        if (exitCode == 0 && tables == 0)
        {
            // BenchmarkDotNet exits 0 when the filter matched nothing; an empty run is not a result.
            exitCode = 1;
        }

        var index = BenchIndexWriter.Write(folder, commandLine, exitCode, sw.Elapsed);
        Console.WriteLine($"\nbench: {(exitCode == 0 ? "done" : $"FAILED (exit {exitCode})")} in {sw.Elapsed.TotalMinutes:0.0} min\ntables: {index}");
        return exitCode == 0 ? ExitCodes.Ok : ExitCodes.RunFailed;
    }
}
