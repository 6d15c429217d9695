using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Lab.Client.ClientBench;

/// <summary>
/// One child process of the benchmark (a client run, wrk, hey): its output kept and logged, its run bounded. Stopped by
/// its own PID only — SIGTERM (the client then stops what it started), SIGKILL after a grace — never by name.
/// </summary>
public static partial class ChildRun
{
    private const int SigTerm = 15;

    public sealed record Result(int ExitCode, string Output, bool TimedOut, TimeSpan Cpu);

    public static async Task<Result> RunAsync(string file, IReadOnlyList<string> args, string logPath, TimeSpan bound, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        var gate = new Lock();
        using var process = new Process { StartInfo = psi };
        void Keep(string? line)
        {
            if (line is null) return;
            lock (gate) output.AppendLine(line);
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        var cpuBefore = HostProbe.FinishedChildrenCpu();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            limit.CancelAfter(bound);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = !ct.IsCancellationRequested;
                await StopAsync(process);
            }
        }

        // The exit is reaped now, so getrusage has counted it; the streams are drained.
        process.WaitForExit();
        var cpu = HostProbe.FinishedChildrenCpu() - cpuBefore;
        string text;
        lock (gate) text = output.ToString();
        await File.WriteAllTextAsync(logPath, $"$ {file} {string.Join(' ', args)}\n{text}", CancellationToken.None);
        return new Result(process.HasExited ? process.ExitCode : -1, text, timedOut, cpu);
    }

    /// <summary>SIGTERM to the child's PID, 10 s to exit, then SIGKILL to it and whatever it started.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        if (!OperatingSystem.IsWindows()) _ = Kill(process.Id, SigTerm);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
