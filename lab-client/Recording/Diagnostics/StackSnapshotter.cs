using System.Diagnostics;
using Lab.Contracts;
using Microsoft.Diagnostics.Runtime;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Takes stack snapshots of a live server from the client, never inside the measured process: the client stops it
/// (SIGSTOP), ClrMD reads every managed thread's stack from its memory (root, or the same user where ptrace rules allow
/// reading it), and the client resumes it (SIGCONT) in a <c>finally</c>. A
/// dedicated thread of the client's watches the server's pool queue (<see cref="SnapshotTrigger"/>) and snapshots at
/// the top of a stall; the snapshot at the largest queue is written to <c>stacks-&lt;variant&gt;.json</c> as soon as it
/// is taken. The first attach loads the runtime's DAC and compiles ClrMD, ~1.2 s here, so that is done once up front
/// without stopping anything; a snapshot then stops the server for 20–80 ms (60 ms with 200 blocked threads; measured,
/// see docs/measurement.md).
/// </summary>
public sealed class StackSnapshotter : IDisposable
{
    /// <summary>How often the queue is looked at.</summary>
    public const int PollMs = 200;

    private readonly int _pid;
    private readonly Func<ServerSample?> _latest;
    private readonly string _path;
    private readonly string _variant;
    private readonly int _repetition;
    private readonly SnapshotTrigger _trigger;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly List<SnapshotAttempt> _attempts = [];
    private readonly Lock _lock = new();
    private string? _dac;
    private StackSnapshot? _best;
    private long? _t0UnixMs;

    public StackSnapshotter(int pid, Func<ServerSample?> latest, string path, string variant, int repetition, int maxSnapshots,
        long minQueue = SnapshotTrigger.DefaultMinQueue)
    {
        _pid = pid;
        _latest = latest;
        _path = path;
        _variant = variant;
        _repetition = repetition;
        _trigger = new SnapshotTrigger(maxSnapshots, minQueue);
        _thread = new Thread(Run) { IsBackground = true, Name = "lab-stacks" };
        _thread.Start();
    }

    /// <summary>Why snapshots could not be taken, if they could not (no permission to attach, no DAC).</summary>
    public string? Failure { get; private set; }

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
        try
        {
            Warm();
            while (!_stop.Wait(PollMs))
            {
                if (_latest() is not { } sample || !_trigger.Observe(sample.ThreadPoolQueueLength)) continue;
                var snapshot = Take(sample);
                lock (_lock)
                {
                    _attempts.Add(new SnapshotAttempt(snapshot.UnixMs, snapshot.TimeS, snapshot.QueueLength, snapshot.PauseMs, snapshot.Threads));
                    if (_best is null || snapshot.QueueLength >= _best.QueueLength) _best = snapshot;
                    _best = _best with { Attempts = [.. _attempts] };
                    _best.Write(_path);
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or ClrDiagnosticsException or FileNotFoundException or NotSupportedException)
        {
            Failure = $"stack snapshots of process {_pid}: {ex.Message}";
        }
    }

    /// <summary>Loads the DAC and compiles the walk once, without suspending the process (a stack read from a running thread may be torn: it is thrown away).</summary>
    private void Warm()
    {
        using var target = DataTarget.AttachToProcess(_pid, suspend: false);
        using var runtime = CreateRuntime(target);
        foreach (var thread in runtime.Threads.Take(4))
        {
            foreach (var frame in thread.EnumerateStackTrace().Take(16))
            {
                _ = IsApplication(frame.Method?.Type?.Module?.Name);
                _ = FrameName.Clean(frame.Method?.Type?.Name, frame.Method?.Name);
            }
        }
    }

    private ClrRuntime CreateRuntime(DataTarget target)
    {
        var clr = target.ClrVersions.FirstOrDefault() ?? throw new InvalidOperationException($"process {_pid} has no .NET runtime loaded");
        if (_dac is null)
        {
            // The runtime's own DAC sits beside it; ClrMD names it without the folder, and cannot read the version of
            // libcoreclr.so from memory on Linux (it reports 0.0), so the match is not checked.
            var folder = Path.GetDirectoryName(clr.ModuleInfo.FileName) ?? "";
            _dac = clr.DebuggingLibraries.Where(d => d.Kind == DebugLibraryKind.Dac)
                .Select(d => Path.IsPathRooted(d.FileName) ? d.FileName : Path.Combine(folder, d.FileName))
                .FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"no DAC beside {clr.ModuleInfo.FileName}");
        }

        return clr.CreateRuntime(_dac, ignoreMismatch: true);
    }

    private StackSnapshot Take(ServerSample trigger)
    {
        var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var stacks = new List<ThreadFrames>();
        // The whole process is stopped with SIGSTOP, then read without ptrace: blocked threads' stacks come from the
        // runtime's own frame records, which is where a stall keeps them. (A thread running managed code at that
        // instant may show only its frames up to its last transition.)
        if (!ProcessPause.Stop(_pid)) throw new InvalidOperationException($"process {_pid} could not be stopped for a snapshot (gone, or not ours to signal)");
        try
        {
            using var target = DataTarget.AttachToProcess(_pid, suspend: false);
            using var runtime = CreateRuntime(target);
            foreach (var thread in runtime.Threads)
            {
                if (!thread.IsAlive) continue;
                var frames = new List<string>();
                var firstUser = -1;
                foreach (var frame in thread.EnumerateStackTrace())
                {
                    if (frame.Method is not { } method) continue;
                    if (firstUser < 0 && IsApplication(method.Type?.Module?.Name)) firstUser = frames.Count;
                    frames.Add(FrameName.Clean(method.Type?.Name, method.Name));
                    if (frames.Count >= StackGrouping.MaxFrames) break;
                }

                stacks.Add(new ThreadFrames(frames, firstUser));
            }
        }
        finally
        {
            ProcessPause.Resume(_pid);
        }

        var pauseMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
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

    /// <summary>Stops watching; the best snapshot is already on disk, rewritten here with its time after t0.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join(TimeSpan.FromSeconds(30));
        lock (_lock)
        {
            if (_best is { } best && _t0UnixMs is { } t0)
            {
                double Seconds(long unixMs) => Math.Round((unixMs - t0) / 1000.0, 3);
                _best = best with { TimeS = Seconds(best.UnixMs), Attempts = [.. _attempts.Select(a => a with { TimeS = Seconds(a.UnixMs) })] };
                _best.Write(_path);
            }
        }

        _stop.Dispose();
    }
}
