using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lab.Client.Running;

/// <summary>
/// One lab-server process (backend or server role) started by the client: launched from built output
/// with <c>--urls http://127.0.0.1:0</c> unless told otherwise, ready once it prints its ready line.
/// Stopped by its own PID only: SIGTERM, then SIGKILL once it has closed its telemetry and had
/// <see cref="ExitGraceAfterTelemetry"/> to exit (a starved server may never get to its graceful shutdown),
/// so no run ever leaves an orphan, waits on a shutdown it does not need, or touches a process it did not start.
/// </summary>
public sealed partial class LabServerProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "lab-server ready:";
    private const string TelemetryClosedPrefix = "lab-server telemetry closed:";

    /// <summary>
    /// After the server said its sample and event files are closed, how long its graceful shutdown may take before
    /// SIGKILL. Nothing the lab reads is written after that line; an idle server exits within it (exit code 0), while
    /// one whose pool is still blocked would wait for its own watchdog (<c>ShutdownTimeoutMs</c> + 2 s) for nothing.
    /// </summary>
    public static readonly TimeSpan ExitGraceAfterTelemetry = TimeSpan.FromSeconds(1);
    private const int MaxKeptLines = 200;

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _telemetryClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Lock _lock = new();

    private LabServerProcess(Process process, string role)
    {
        _process = process;
        Role = role;
    }

    public string Role { get; }

    public int ProcessId => _process.Id;

    public Uri Url => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : throw new InvalidOperationException("Not ready.");

    public bool HasExited => _process.HasExited;

    /// <summary>Completes with the exit code when the process exits, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The command line, recorded with a run so it can be reproduced.</summary>
    public string CommandLine { get; private init; } = "";

    /// <summary>The last lines the process wrote to stderr (validation errors, crash messages).</summary>
    public string StandardError
    {
        get { lock (_lock) return string.Join('\n', _stderr); }
    }

    /// <summary>Starts the process and waits for its ready line; throws with its stderr if it exits first.</summary>
    public static async Task<LabServerProcess> StartAsync(
        string role,
        IEnumerable<KeyValuePair<string, string>> settings,
        TimeSpan readyTimeout,
        CancellationToken ct,
        string? url = null,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        string? serverDll = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dll = serverDll ?? LabServerLocator.Find();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(role);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(url ?? "http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            psi.ArgumentList.Add($"--Lab:{key}={value}");
        }

        foreach (var (key, value) in environment ?? [])
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var lab = new LabServerProcess(process, role) { CommandLine = "dotnet " + string.Join(' ', psi.ArgumentList) };
        process.OutputDataReceived += (_, e) => lab.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => lab.OnStderr(e.Data);
        process.Exited += (_, _) => lab.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await lab._ready.Task.WaitAsync(readyTimeout, ct);
            return lab;
        }
        catch (Exception ex)
        {
            await lab.DisposeAsync();
            throw ex is TimeoutException
                ? new LabServerStartException($"lab-server {role} did not print its ready line within {readyTimeout.TotalSeconds:0} s.\n{lab.StandardError}", null, ex)
                : ex;
        }
    }

    /// <summary>Sends SIGTERM only (false where signals are not available); the process decides how to exit.</summary>
    public bool RequestStop() => !_process.HasExited && !OperatingSystem.IsWindows() && Kill(_process.Id, SigTerm) == 0;

    /// <summary>Waits for the process to exit by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Whether the process has said its sample and event files are complete and closed (it does so on SIGTERM).</summary>
    public bool TelemetryClosed => _telemetryClosed.Task.IsCompleted;

    /// <summary>
    /// SIGTERM; wait up to <paramref name="grace"/> for the process to exit or to close its telemetry, then at most
    /// <see cref="ExitGraceAfterTelemetry"/> more for it to exit; then SIGKILL. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            if (RequestStop())
            {
                // A starved or stuck process may never finish its graceful shutdown: then SIGKILL below, as soon as
                // what it records is on disk.
                try
                {
                    await Task.WhenAny(_exited.Task, _telemetryClosed.Task).WaitAsync(grace);
                }
                catch (TimeoutException)
                {
                    // Neither exited nor closed its files within the grace: SIGKILL below.
                }

                if (!_process.HasExited && TelemetryClosed) await WaitForExitAsync(ExitGraceAfterTelemetry);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL now, as a crash would; for tests and for giving up.</summary>
    public void KillNow()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null) return;
        if (line.StartsWith(TelemetryClosedPrefix, StringComparison.Ordinal))
        {
            _telemetryClosed.TrySetResult();
            return;
        }

        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            var url = line.Split(' ').FirstOrDefault(p => p.StartsWith("url=", StringComparison.Ordinal))?[4..];
            if (url is not null && Uri.TryCreate(url.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                _ready.TrySetResult(uri);
            }
        }
    }

    private void OnExited()
    {
        // Let the stderr reader drain so the message carries the process's own explanation.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
        _ready.TrySetException(new LabServerStartException(
            $"lab-server {Role} exited with code {SafeExitCode(_process)} before it was ready:\n{StandardError}",
            _process.ExitCode));
    }

    private void OnStderr(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > MaxKeptLines) _stderr.Dequeue();
        }
    }

    private static string SafeExitCode(Process p)
    {
        try
        {
            return p.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
