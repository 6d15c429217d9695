using Microsoft.Diagnostics.Runtime;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// Reads every managed thread's stack of another process with ClrMD — only ever inside the stack agent
/// (<see cref="StackAgent"/>), never in the client: the runtime's DAC is native code reading a stopped process's
/// memory, and when it faults on what it reads (a SIGSEGV in <c>libmscordaccore.so</c>, seen here twice in five C2
/// runs) it takes down the process it runs in.
/// </summary>
public sealed class StackReader(int pid)
{
    private string? _dac;

    /// <summary>
    /// Every live managed thread's frames, innermost first. The caller has stopped the process (SIGSTOP): it is read
    /// without ptrace (<c>suspend: false</c>), so blocked threads' stacks come from the runtime's own frame records,
    /// which is where a stall keeps them. (A thread running managed code at that instant may show only its frames up to
    /// its last transition.)
    /// </summary>
    public List<ThreadFrames> ReadAll()
    {
        var stacks = new List<ThreadFrames>();
        using var target = DataTarget.AttachToProcess(pid, suspend: false);
        using var runtime = CreateRuntime(target);
        foreach (var thread in runtime.Threads)
        {
            if (!thread.IsAlive) continue;
            var frames = new List<string>();
            var firstUser = -1;
            foreach (var frame in thread.EnumerateStackTrace())
            {
                if (frame.Method is not { } method) continue;
                if (firstUser < 0 && StackSnapshotter.IsApplication(method.Type?.Module?.Name)) firstUser = frames.Count;
                frames.Add(FrameName.Clean(method.Type?.Name, method.Name));
                if (frames.Count >= StackGrouping.MaxFrames) break;
            }

            stacks.Add(new ThreadFrames(frames, firstUser));
        }

        return stacks;
    }

    private ClrRuntime CreateRuntime(DataTarget target)
    {
        var clr = target.ClrVersions.FirstOrDefault() ?? throw new InvalidOperationException($"process {pid} has no .NET runtime loaded");
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
}
