using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Lab.Client.Scenarios;

namespace Lab.Client.Running;

/// <summary>
/// A server of the user's own, started from a scenario's <c>target.command</c> for one variant run: a free loopback
/// port filled in for <c>$PORT</c>, the lab backend's URL for <c>$BACKEND</c>, ready once its URL answers anything.
/// Stopped by its own PID only: SIGTERM, then SIGKILL after a grace period, like lab-server.
/// </summary>
public sealed partial class TargetProcess : IAsyncDisposable
{
    private const int MaxKeptLines = 100;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _lock = new();

    private TargetProcess(Process process, Uri url, string commandLine)
    {
        _process = process;
        Url = url;
        CommandLine = commandLine;
    }

    public Uri Url { get; }
    public string CommandLine { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>The last lines the process wrote (stdout and stderr), to explain a failed start.</summary>
    public string RecentOutput
    {
        get { lock (_lock) return string.Join('\n', _output); }
    }

    public static async Task<TargetProcess> StartAsync(TargetSpec spec, IReadOnlyDictionary<string, string> variantEnvironment, Uri? backend, HttpClient http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variantEnvironment);
        ArgumentNullException.ThrowIfNull(http);
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Fill(string s) => s.Replace(TargetSpec.PortToken, port, StringComparison.Ordinal)
            .Replace(TargetSpec.BackendToken, backend?.ToString().TrimEnd('/') ?? "", StringComparison.Ordinal);
        var psi = new ProcessStartInfo(Fill(spec.Command[0])) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in spec.Command.Skip(1)) psi.ArgumentList.Add(Fill(a));
        foreach (var (k, v) in spec.Environment) psi.Environment[k] = Fill(v);
        foreach (var (k, v) in variantEnvironment) psi.Environment[k] = Fill(v);
        var url = new Uri(Fill(spec.Url));
        var commandLine = string.Join(' ', new[] { psi.FileName }.Concat(psi.ArgumentList));
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"target command \"{commandLine}\" did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LabServerStartException($"target command \"{commandLine}\" could not start: {ex.Message}", null, ex);
        }

        var target = new TargetProcess(process, url, commandLine);
        process.OutputDataReceived += (_, e) => target.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => target.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await target.WaitReadyAsync(http, new Uri(url, spec.ReadyPath), TimeSpan.FromSeconds(spec.ReadyTimeoutS), ct);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(HttpClient http, Uri ready, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new LabServerStartException($"the target exited with code {_process.ExitCode} before it answered at {ready}:\n{RecentOutput}", _process.ExitCode);
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                using var _ = await http.GetAsync(ready, attempt.Token);
                return; // any HTTP answer means it is up
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow > until)
                {
                    throw new LabServerStartException($"GET {ready} got no answer within {timeout.TotalSeconds:0} s of starting \"{CommandLine}\" (target.readyTimeoutS):\n{RecentOutput}", null, ex);
                }

                await Task.Delay(100, ct);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lock)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxKeptLines) _output.Dequeue();
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows() && Kill(_process.Id, 15) == 0)
            {
                using var wait = new CancellationTokenSource(grace);
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // Still running: SIGKILL below.
                }
            }

            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
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

    /// <summary>A free TCP port on loopback, as the kernel hands it out.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
