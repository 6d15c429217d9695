using System.Diagnostics;
using System.Net;

namespace Lab.Server.Server.Probes;

/// <summary>
/// C15's injected setup: a proxy whose lookup sleeps <c>lookupMs</c>, standing for slow proxy detection (S001's
/// "60 s or more where proxy scripts are misconfigured"), and records the thread it ran on. It then sends the
/// request straight to the backend: <see cref="GetProxy"/> returns null, which SocketsHttpHandler reads as "connect
/// directly". <see cref="IsBypassed"/> answers false on purpose: SocketsHttpHandler asks it first and, on true, never
/// calls <see cref="GetProxy"/> (measured on .NET 10.0.12), so the lookup would not run at all.
/// </summary>
public sealed class SlowProxy(int lookupMs, int callerThreadId) : IWebProxy
{
    private ProxyLookup? _first;
    private int _calls;
    private int _callerInsideCall;

    public ICredentials? Credentials { get; set; }

    /// <summary>The first lookup, or null if the request never asked for its proxy.</summary>
    public ProxyLookup? First => Volatile.Read(ref _first);

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// Set by the probe around the call under test. "On the caller" means on that thread *during* the call: after
    /// the call returns, the same pool thread may well pick up the lookup as an ordinary work item, which is not
    /// what the claim is about.
    /// </summary>
    public bool CallerInsideCall
    {
        get => Volatile.Read(ref _callerInsideCall) == 1;
        set => Volatile.Write(ref _callerInsideCall, value ? 1 : 0);
    }

    public Uri? GetProxy(Uri destination)
    {
        var thread = Thread.CurrentThread;
        var onCaller = thread.ManagedThreadId == callerThreadId && CallerInsideCall;
        var started = Stopwatch.GetTimestamp();
        // Deliberately blocks whichever thread asks: that is what a synchronous proxy lookup does.
        Thread.Sleep(lookupMs);
        var lookup = new ProxyLookup(thread.ManagedThreadId, thread.IsThreadPoolThread, onCaller, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Interlocked.Increment(ref _calls);
        Interlocked.CompareExchange(ref _first, lookup, null);
        return null;
    }

    public bool IsBypassed(Uri host) => false;
}
