using System.Net;
using System.Net.Sockets;

namespace Lab.Client.Load;

/// <summary>
/// Makes the client's socket continuations run on the socket event threads instead of being posted to its thread
/// pool (.NET's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, Linux and macOS). Measured on the lab's 2-core VM
/// (profile in lab-client/README.md, "Capacity of the client"): with every answer handed from the event thread to a
/// pool thread, a futex wake and two context switches per request were most of the client's CPU — 133 µs per
/// request at 4,000/s, of which 65 on pool threads, mostly waking up; inline, the pool threads do nothing on the
/// request path. It also keeps the client's request path off its own thread pool, the very thing the lab starves in
/// the server. Everything the client does on a socket continuation is short and never blocks (it records and
/// returns), which is what inline continuations require. With inline continuations the runtime starts one event
/// thread per core.
/// </summary>
public static class InlineSocketContinuations
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether socket continuations were seen running on an event thread (set by <see cref="Enable"/>).</summary>
    public static bool Active { get; private set; }

    /// <summary>
    /// Call first thing in Main, before any socket is used: the runtime reads the switch once, when its socket
    /// engine starts. The switch is an environment variable, so it is set only for that moment and removed again —
    /// the servers, targets and tools the client starts must run with their own defaults. A value the user set
    /// is left as it is.
    /// </summary>
    public static void Enable()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(Variable) is not null)
        {
            Active = false;
            return;
        }

        Environment.SetEnvironmentVariable(Variable, "1");
        try
        {
            Active = StartEngineAndCheck();
        }
        catch (SocketException)
        {
            Active = false;
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    /// <summary>One pending accept starts the socket engine; its continuation shows where completions run.</summary>
    private static bool StartEngineAndCheck()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var onEventThread = false;
        var accepted = listener.AcceptAsync().ContinueWith(
            t =>
            {
                onEventThread = !Thread.CurrentThread.IsThreadPoolThread;
                t.Result.Dispose();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        // Startup, before anything else runs: a bounded wait for one loopback accept.
        return accepted.Wait(TimeSpan.FromSeconds(5)) && onEventThread;
    }
}
