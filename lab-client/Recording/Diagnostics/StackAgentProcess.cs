using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// The client's end of one stack agent process (<see cref="StackAgent"/>): starts it, sends a request line, waits a
/// bounded time for the one reply line, and turns every way it can fail — a crash (SIGSEGV in the DAC), an exit, a
/// hang — into a <see cref="StackAgentException"/> that names its pid and how it ended. A hung agent is killed by its
/// pid; <see cref="Dispose"/> closes its stdin (it exits on EOF) and kills it by pid if it is still there.
/// </summary>
public sealed class StackAgentProcess : IDisposable
{
    /// <summary>Lines of the agent's stderr kept for the message when it dies (a managed crash prints its exception there).</summary>
    private const int StderrLines = 8;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ManualResetEventSlim _stderrClosed = new();
    private readonly Queue<string> _stderr = new();
    private readonly Lock _lock = new();
    private readonly Thread _reader;
    private bool _disposed;

    private StackAgentProcess(Process process)
    {
        _process = process;
        ProcessId = process.Id;
        // A thread of its own reads the replies, so waiting for one never needs the client's thread pool.
        _reader = new Thread(ReadReplies) { IsBackground = true, Name = "lab-stacks-agent-out" };
        _reader.Start();
    }

    public int ProcessId { get; }

    /// <summary><c>dotnet Lab.Client.dll stacks-agent --pid N --parent P</c>, from the Lab.Client.dll this code runs from.</summary>
    public static ProcessStartInfo DefaultStartInfo(int targetPid)
    {
        var psi = new ProcessStartInfo("dotnet");
        psi.ArgumentList.Add(typeof(StackAgent).Assembly.Location);
        psi.ArgumentList.Add(Commands.StacksAgentCommand.Name);
        psi.ArgumentList.Add("--pid");
        psi.ArgumentList.Add(targetPid.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--parent");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        // The client compiles everything fully optimized up front (a steady load loop); the agent's warm-up runs with
        // the server stopped, and quick JIT shortened it (measured here: 0.15–0.23 s against 0.29–0.56 s with 12
        // threads, 0.32–0.42 s against 0.44–0.48 s with 110), its snapshots alike (80–160 ms with 110 threads either way).
        psi.Environment["DOTNET_TieredCompilation"] = "1";
        return psi;
    }

    /// <summary>Starts the agent and waits for its ready line (the target is not touched yet: nothing is stopped meanwhile).</summary>
    public static StackAgentProcess Start(ProcessStartInfo psi, TimeSpan readyTimeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(psi);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new StackAgentException($"the stack snapshot agent ({psi.FileName}) could not be started: {ex.Message}", ex);
        }

        var agent = new StackAgentProcess(process);
        process.ErrorDataReceived += (_, e) => agent.KeepStderr(e.Data);
        process.BeginErrorReadLine();
        try
        {
            agent.Await(StackAgentReply.Ready, readyTimeout, "while starting", ct);
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the agent's reply line, unparsed (the caller parses it after resuming
    /// the target). Throws <see cref="StackAgentException"/> when the agent dies or gives no answer within
    /// <paramref name="timeout"/> (then it is killed by its pid).
    /// </summary>
    public string Request(string request, TimeSpan timeout, string doing, CancellationToken ct)
    {
        try
        {
            _process.StandardInput.WriteLine(request);
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // A broken pipe: it is already gone. Its exit says how.
            throw Died(doing);
        }

        return Await(null, timeout, doing, ct);
    }

    private string Await(string? kind, TimeSpan timeout, string doing, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - until.Elapsed;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, (int)Math.Ceiling(left.TotalMilliseconds), ct))
            {
                if (_lines.IsCompleted) throw Died(doing);
                Kill();
                throw new StackAgentException(string.Create(CultureInfo.InvariantCulture,
                    $"stack snapshot agent (pid {ProcessId}) gave no answer within {timeout.TotalSeconds:0.#} s {doing} and was killed (SIGKILL){LastWords()}"));
            }

            // Anything else on its stdout (a runtime message) is not a reply; a reply of the wrong kind is still the answer.
            if (StackAgentReply.Parse(line) is { } reply && (kind is null || reply.Kind == kind || reply.Kind == StackAgentReply.Error)) return line;
        }
    }

    /// <summary>The exception for an agent whose stdout closed: how it ended (a signal by name, or its exit code).</summary>
    private StackAgentException Died(string doing)
    {
        if (!_process.WaitForExit(5_000)) Kill();
        var how = _process.HasExited ? HowItEnded(_process.ExitCode) : "closed its output";
        return new StackAgentException($"stack snapshot agent (pid {ProcessId}) {how} {doing}{LastWords()}");
    }

    /// <summary>
    /// .NET reports a child killed by signal N as exit code 128 + N (as shells do): 139 is SIGSEGV, the DAC's fault.
    /// </summary>
    public static string HowItEnded(int exitCode) => exitCode is > 128 and < 160
        ? $"died with {SignalName(exitCode - 128)}"
        : $"exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}";

    public static string SignalName(int signal) => signal switch
    {
        2 => "SIGINT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => $"signal {signal.ToString(CultureInfo.InvariantCulture)}",
    };

    private string LastWords()
    {
        // Its stderr is read on the pool: give the last lines a moment to arrive after the exit.
        if (_process.HasExited) _stderrClosed.Wait(1_000);
        lock (_lock)
        {
            var last = _stderr.LastOrDefault(l => l.Trim().Length > 0);
            return last is null ? "" : $" (its stderr: {last.Trim()})";
        }
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.Set();
            return;
        }

        lock (_lock)
        {
            _stderr.Enqueue(line.Length > 300 ? line[..300] + "…" : line);
            while (_stderr.Count > StderrLines) _stderr.Dequeue();
        }
    }

    private void ReadReplies()
    {
        try
        {
            while (_process.StandardOutput.ReadLine() is { } line) _lines.Add(line);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe went away with the process.
        }
        finally
        {
            try
            {
                _lines.CompleteAdding();
            }
            catch (ObjectDisposedException)
            {
                // Disposed while this thread was still draining a pipe another process held open.
            }
        }
    }

    /// <summary>SIGKILL to the agent's own pid (it starts nothing of its own).</summary>
    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>How the agent ended if it is already gone while it was not asked anything (killed between snapshots); else null.</summary>
    public string? EndedUnasked()
    {
        lock (_lock)
        {
            if (_disposed) return null;
        }

        return _process.HasExited ? HowItEnded(_process.ExitCode) : null;
    }

    /// <summary>Closes its stdin (the agent exits on EOF), waits briefly, then kills it by pid if it is still running.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        if (!_process.WaitForExit(2_000)) Kill();
        _process.WaitForExit(5_000);
        if (_reader.Join(TimeSpan.FromSeconds(5))) _lines.Dispose();
        _process.Dispose();
    }
}
