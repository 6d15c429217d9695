using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

namespace Lab.Client.Recording.Diagnostics;

/// <summary>
/// The child process that runs ClrMD for the client (<c>Lab.Client stacks-agent --pid N --parent P</c>, hidden from
/// --help): reads requests from stdin, one word a line, and answers each with one <see cref="StackAgentReply"/> line on
/// stdout. It never stops or resumes the process it reads — the client does, around each request — so when the DAC
/// faults, only this process dies and the client records why. It exits when its stdin closes, and when its parent is
/// gone (reparented), so it never outlives the client.
/// </summary>
public static partial class StackAgent
{
    /// <summary>How often the agent checks that its parent is still the client that started it.</summary>
    public const int ParentPollMs = 500;

    public static int Run(int pid, int parentPid, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (parentPid > 0) new Thread(() => WatchParent(parentPid)) { IsBackground = true, Name = "lab-stacks-agent-parent" }.Start();
        var reader = new StackReader(pid);
        // The reply's serializer is compiled before anything is stopped: a snapshot's pause is the read, not this.
        _ = new StackAgentReply(StackAgentReply.Snap, [new ThreadFrames(["Warm.Up"], 0)], 0).ToLine();
        output.WriteLine(new StackAgentReply(StackAgentReply.Ready).ToLine());
        output.Flush();
        while (input.ReadLine() is { } line)
        {
            var request = line.Trim();
            if (request.Length == 0) continue;
            output.WriteLine(Answer(reader, pid, request).ToLine());
            output.Flush();
        }

        return 0;
    }

    private static StackAgentReply Answer(StackReader reader, int pid, string request)
    {
        if (request is not (StackAgentReply.Warm or StackAgentReply.Snap))
        {
            return new StackAgentReply(StackAgentReply.Error, Message: $"unknown request '{request}' (expected {StackAgentReply.Warm} or {StackAgentReply.Snap})");
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var threads = reader.ReadAll();
            var ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            return request == StackAgentReply.Warm
                ? new StackAgentReply(StackAgentReply.Warm, ReadMs: ms)
                : new StackAgentReply(StackAgentReply.Snap, threads, ms);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or ClrDiagnosticsException or NotSupportedException)
        {
            return new StackAgentReply(StackAgentReply.Error, Message: $"process {pid.ToString(CultureInfo.InvariantCulture)}: {ex.Message}");
        }
    }

    /// <summary>
    /// A closed stdin already ends the agent with the client; this covers a client killed while the agent is deep in a
    /// read (the orphan is reparented, so its parent id changes).
    /// </summary>
    private static void WatchParent(int parentPid)
    {
        while (true)
        {
            Thread.Sleep(ParentPollMs);
            if (OperatingSystem.IsLinux() && GetParentPid() != parentPid) Environment.Exit(0);
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
