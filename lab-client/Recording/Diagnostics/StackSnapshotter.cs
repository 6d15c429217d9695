using System.Diagnostics;
using System.Globalization;
using Lab.Contracts;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Takes stack snapshots of a live server from outside it, and outside the client too: ClrMD runs in a child process
/// of the client's, the stack agent (<see cref="StackAgent"/>), because the runtime's DAC it loads can fault on what it
/// reads (a SIGSEGV in <c>libmscordaccore.so</c>, twice in five C2 runs when it ran in the client), and a fault kills
/// the process it runs in. The client stops the server (SIGSTOP), asks the agent for every managed thread's stack,
/// and resumes the server (SIGCONT) in a <c>finally</c> — so a crashed or hung agent (killed by its pid after
/// <see cref="ReplyTimeout"/>) never leaves the server stopped; the run goes on without further snapshots and says why
/// in <see cref="Failure"/>. A dedicated thread of the client's watches the server's pool queue
/// (<see cref="SnapshotTrigger"/>) and snapshots at the top of a stall; the snapshot at the largest queue is written to
/// <c>stacks-&lt;variant&gt;.json</c> as soon as it is taken. Before the load the agent loads the DAC and compiles its
/// walk by reading the server once, stopped like a snapshot (<see cref="WarmPauseMs"/>, 0.15–0.4 s here); a snapshot
/// then stops the server for 50–230 ms (each pause recorded; measured figures in docs/measurement.md).
/// </summary>
public sealed class StackSnapshotter : IDisposable
{
    /// <summary>How often the queue is looked at.</summary>
    public const int PollMs = 200;

    /// <summary>How long the agent may take to start (a cold .NET process on a busy machine); nothing is stopped meanwhile.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly int _pid;
    private readonly Func<ServerSample?> _latest;
    private readonly string _path;
    private readonly string _variant;
    private readonly int _repetition;
    private readonly SnapshotTrigger _trigger;
    private readonly Func<ProcessStartInfo> _agentStart;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<SnapshotAttempt> _attempts = [];
    private readonly Lock _lock = new();
    private StackAgentProcess? _agent;
    private bool _warm;
    private StackSnapshot? _best;
    private long? _t0UnixMs;

    /// <summary>
    /// Starts watching <paramref name="pid"/>. <paramref name="agent"/> says how to start the agent (default:
    /// <c>dotnet Lab.Client.dll stacks-agent --pid …</c>; tests pass a stand-in); <paramref name="replyTimeout"/> bounds
    /// one request before the agent is killed (default 15 s).
    /// </summary>
    public StackSnapshotter(int pid, Func<ServerSample?> latest, string path, string variant, int repetition, int maxSnapshots,
        long minQueue = SnapshotTrigger.DefaultMinQueue, Func<ProcessStartInfo>? agent = null, TimeSpan? replyTimeout = null)
    {
        _pid = pid;
        _latest = latest;
        _path = path;
        _variant = variant;
        _repetition = repetition;
        _trigger = new SnapshotTrigger(maxSnapshots, minQueue);
        _agentStart = agent ?? (() => StackAgentProcess.DefaultStartInfo(pid));
        ReplyTimeout = replyTimeout ?? TimeSpan.FromSeconds(15);
        _thread = new Thread(Run) { IsBackground = true, Name = "lab-stacks" };
        _thread.Start();
    }

    /// <summary>How long one request (the warm-up or a snapshot) may take before the agent is killed and the server resumed.</summary>
    public TimeSpan ReplyTimeout { get; }

    /// <summary>
    /// Why snapshots could not be taken, or stopped (no permission to read the process, no DAC, the agent died or hung):
    /// recorded in run.json (<c>server.stacksFailure</c>) and said on the console.
    /// </summary>
    public string? Failure { get; private set; }

    /// <summary>How long the server was stopped while the agent loaded the DAC and compiled its walk (also when that failed), ms; null if it was not.</summary>
    public double? WarmPauseMs { get; private set; }

    /// <summary>Done when the warm-up is over (or failed, or the snapshotter stopped): the load should not start before, so no warm pause falls in it.</summary>
    public Task Warmed => _warmed.Task;

    /// <summary>An upper bound on the wait for <see cref="Warmed"/>: the agent's start, then one request.</summary>
    public TimeSpan WarmBound => ReadyTimeout + ReplyTimeout + TimeSpan.FromSeconds(5);

    /// <summary>The agent's pid while one runs (for tests).</summary>
    public int? AgentProcessId
    {
        get { lock (_lock) return _agent?.ProcessId; }
    }

    /// <summary>The snapshot kept so far (the largest queue), or null.</summary>
    public StackSnapshot? Best
    {
        get { lock (_lock) return _best; }
    }

    /// <summary>The variant run's t0, once the load started: snapshot times are written as seconds after it.</summary>
    public void SetT0(long t0UnixMs)
    {
        lock (_lock) _t0UnixMs = t0UnixMs;
    }

    private void Run()
    {
        var ct = _stop.Token;
        var doing = $"while loading the DAC for process {_pid}";
        try
        {
            var agent = StackAgentProcess.Start(_agentStart(), ReadyTimeout, ct);
            lock (_lock) _agent = agent;
            Paused(agent, StackAgentReply.Warm, doing, ms => WarmPauseMs = ms, ct);
            _warm = true;
            _warmed.TrySetResult();
            doing = $"while reading process {_pid}";
            while (!ct.WaitHandle.WaitOne(PollMs))
            {
                if (_latest() is not { } sample || !_trigger.Observe(sample.ThreadPoolQueueLength)) continue;
                var snapshot = Take(agent, sample, doing, ct);
                lock (_lock)
                {
                    _attempts.Add(new SnapshotAttempt(snapshot.UnixMs, snapshot.TimeS, snapshot.QueueLength, snapshot.PauseMs, snapshot.Threads));
                    if (_best is null || snapshot.QueueLength >= _best.QueueLength) _best = snapshot;
                    _best = _best with { Attempts = [.. _attempts] };
                    _best.Write(_path);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by Dispose: the variant is over.
        }
        catch (StackAgentException ex)
        {
            Failure = $"{ex.Message}; {Consequence()}";
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Failure = $"stack snapshots of process {_pid}: {ex.Message}";
        }
        finally
        {
            _warmed.TrySetResult();
        }
    }

    private string Consequence()
    {
        lock (_lock)
        {
            if (!_warm) return "this variant has no stack snapshots";
            return _best is { } best
                ? $"snapshots stop for this variant; the best one so far (pool queue {best.QueueLength.ToString(CultureInfo.InvariantCulture)}) is kept"
                : "snapshots stop for this variant; none was taken before";
        }
    }

    /// <summary>
    /// One request with the server stopped: SIGSTOP, the agent reads, SIGCONT in a <c>finally</c> — whatever the agent
    /// does (answers, dies, hangs until it is killed), the server runs again when this returns or throws.
    /// </summary>
    /// <remarks><paramref name="paused"/> is told how long the server was stopped, also when the request failed.</remarks>
    private StackAgentReply Paused(StackAgentProcess agent, string request, string doing, Action<double> paused, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (!ProcessPause.Stop(_pid)) throw new InvalidOperationException($"process {_pid} could not be stopped (gone, or not ours to signal)");
        string line;
        try
        {
            line = agent.Request(request, ReplyTimeout, doing, ct);
        }
        finally
        {
            ProcessPause.Resume(_pid);
            paused(Math.Round(clock.Elapsed.TotalMilliseconds, 1));
        }

        // Parsed after the resume: reading the threads' JSON is no part of the pause.
        var reply = StackAgentReply.Parse(line)!;
        if (reply.Kind == StackAgentReply.Error) throw new InvalidOperationException(reply.Message ?? "the stack agent reported an error");
        return reply;
    }

    private StackSnapshot Take(StackAgentProcess agent, ServerSample trigger, string doing, CancellationToken ct)
    {
        var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var pauseMs = 0.0;
        var reply = Paused(agent, StackAgentReply.Snap, doing, ms => pauseMs = ms, ct);
        var stacks = reply.Threads ?? [];
        var (groups, other) = StackGrouping.Group(stacks);
        var headlines = StackGrouping.ByHeadline(groups, other);
        long? t0;
        lock (_lock) t0 = _t0UnixMs;
        return new StackSnapshot
        {
            Variant = _variant,
            Repetition = _repetition,
            ProcessId = _pid,
            UnixMs = unixMs,
            TimeS = t0 is { } t ? Math.Round((unixMs - t) / 1000.0, 3) : null,
            QueueLength = trigger.ThreadPoolQueueLength,
            PoolThreads = trigger.ThreadPoolThreadCount,
            PauseMs = pauseMs,
            Threads = stacks.Count,
            OtherThreads = other,
            Groups = groups,
            Headlines = headlines,
        };
    }

    /// <summary>
    /// A frame of the application's own code: its module is not part of a shared framework (Microsoft.NETCore.App,
    /// Microsoft.AspNetCore.App) nor, for a self-contained app, one of its System.*/Microsoft.* assemblies.
    /// </summary>
    public static bool IsApplication(string? modulePath)
    {
        if (string.IsNullOrEmpty(modulePath)) return false;
        var normalized = modulePath.Replace('\\', '/');
        if (normalized.Contains("/shared/Microsoft.", StringComparison.Ordinal)) return false;
        var name = Path.GetFileName(normalized);
        return !(name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || name is "mscorlib.dll" or "netstandard.dll");
    }

    /// <summary>
    /// Stops watching and stops the agent (stdin closed, then SIGKILL to its pid if it is still there); the best snapshot
    /// is already on disk, rewritten here with its time after t0.
    /// </summary>
    public void Dispose()
    {
        _stop.Cancel();
        // A request in flight ends at once (its wait is cancelled; the server is resumed in its finally).
        var joined = _thread.Join(ReplyTimeout + TimeSpan.FromSeconds(15));
        StackAgentProcess? agent;
        lock (_lock)
        {
            agent = _agent;
            _agent = null;
        }

        // Gone before its stdin closed, with no request pending: nothing asked it, so nothing noticed yet.
        if (Failure is null && agent?.EndedUnasked() is { } how)
        {
            Failure = $"stack snapshot agent (pid {agent.ProcessId}) {how} between snapshots of process {_pid}; {Consequence()}";
        }

        agent?.Dispose();
        lock (_lock)
        {
            if (_best is { } best && _t0UnixMs is { } t0)
            {
                double Seconds(long unixMs) => Math.Round((unixMs - t0) / 1000.0, 3);
                _best = best with { TimeS = Seconds(best.UnixMs), Attempts = [.. _attempts.Select(a => a with { TimeS = Seconds(a.UnixMs) })] };
                _best.Write(_path);
            }
        }

        // A thread that did not stop in time still looks at the token: leave it undisposed then.
        if (joined) _stop.Dispose();
    }
}
