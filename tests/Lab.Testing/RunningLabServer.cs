using System.Diagnostics;

namespace Lab.Testing;

/// <summary>
/// One lab-server process (backend or server role) started by a test: launched from built output as
/// <c>dotnet Lab.Server.dll &lt;role&gt; --urls http://127.0.0.1:0 --Lab:Key=value…</c>, ready once it prints
/// its <c>lab-server ready: … url=…</c> line. Stopped by its own PID only: SIGTERM, a grace period, then
/// SIGKILL (a starved server may never reach its shutdown code); <see cref="KillNow"/> for crash tests.
/// </summary>
public sealed partial class RunningLabServer : IAsyncDisposable
{
    public const string ReadyPrefix = "lab-server ready:";

    /// <summary>Ready in well under a second on an idle machine; a loaded 2-core machine has taken many seconds.</summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(60);

    private const int MaxKeptLines = 200;

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Lock _lock = new();

    private RunningLabServer(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public int ProcessId { get; private set; }

    /// <summary>The URL it listens on, with a wildcard host replaced by 127.0.0.1 (load goes to loopback only).</summary>
    public Uri Url => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : throw new InvalidOperationException("Not ready.");

    /// <summary>The URL exactly as the ready line printed it.</summary>
    public string PrintedUrl { get; private set; } = "";

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Completes with the exit code when the process exits, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last lines the process wrote to stderr (validation errors, notices, crash messages).</summary>
    public string RecentStandardError
    {
        get { lock (_lock) return string.Join('\n', _stderr); }
    }

    /// <summary>Starts the process and waits for its ready line; throws <see cref="LabServerStartException"/> with its stderr if it exits first.</summary>
    /// <param name="role"><c>backend</c> or <c>server</c>; null to leave the positional role out.</param>
    /// <param name="settings">Knobs, passed as <c>--Lab:Key=value</c>.</param>
    /// <param name="urls">The <c>--urls</c> argument; null to leave it out (the process then chooses).</param>
    /// <param name="environment">Environment variables to set for the process; a null value removes an inherited one.</param>
    /// <param name="readyTimeout">How long to wait for the ready line; <see cref="DefaultReadyTimeout"/> when null.</param>
    public static async Task<RunningLabServer> StartAsync(
        string? role,
        IEnumerable<(string Key, string Value)>? settings = null,
        string? urls = "http://127.0.0.1:0",
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? readyTimeout = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(LabServerDll.Find());
        if (role is not null)
        {
            psi.ArgumentList.Add(role);
        }

        if (urls is not null)
        {
            psi.ArgumentList.Add("--urls");
            psi.ArgumentList.Add(urls);
        }

        foreach (var (key, value) in settings ?? [])
        {
            psi.ArgumentList.Add($"--Lab:{key}={value}");
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        return await LaunchAsync(psi, readyTimeout ?? DefaultReadyTimeout);
    }

    /// <summary>Sends SIGTERM only (false where signals are not available or it has exited); the process decides how to exit.</summary>
    public bool RequestStop() => !_process.HasExited && !OperatingSystem.IsWindows() && Signals.Terminate(ProcessId);

    /// <summary>Waits for the process to exit by itself; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited && RequestStop())
        {
            await WaitForExitAsync(grace);
        }

        KillNow();
        return await _exited.Task;
    }

    /// <summary>SIGKILL now, as a crash would.</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null || !line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var printed = line.Split(' ').FirstOrDefault(p => p.StartsWith("url=", StringComparison.Ordinal))?[4..];
        if (printed is not null && Uri.TryCreate(printed, UriKind.Absolute, out var uri))
        {
            PrintedUrl = printed;
            var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
            _ready.TrySetResult(new UriBuilder(uri) { Host = host }.Uri);
        }
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

    private void OnExited()
    {
        // WaitForExit() with no timeout also waits for the redirected streams to reach their end, so the
        // message below carries the process's own explanation.
        _process.WaitForExit();
        var code = _process.ExitCode;
        _ready.TrySetException(new LabServerStartException(
            $"lab-server ({CommandLine}) exited with code {code} before it was ready:\n{RecentStandardError}", code, RecentStandardError));
        _exited.TrySetResult(code);
    }
}
