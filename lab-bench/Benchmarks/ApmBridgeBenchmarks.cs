using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;

namespace Lab.Bench.Benchmarks;

/// <summary>
/// C12's bridge, per call: a one-byte round trip over a real loopback TCP connection (an echo thread on the
/// other end), received by blocking, by <c>await ReceiveAsync</c>, by <c>Task.Factory.FromAsync</c> over
/// Begin/EndReceive, and by a raw Begin/End callback completing a TaskCompletionSource (what <c>/apm</c> does).
/// On .NET the Begin/End methods are themselves built on the task-based ones, so the APM forms are a wrapper
/// around the await form, never below it.
/// </summary>
[MemoryDiagnoser]
public class ApmBridgeBenchmarks
{
    private readonly byte[] _ping = [42];
    private readonly byte[] _pong = new byte[1];
    private Socket _client = null!;
    private Socket _server = null!;
    private Thread _echo = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
        _server.NoDelay = true;
        _echo = new Thread(Echo) { IsBackground = true, Name = "bench echo" };
        _echo.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Shutdown(SocketShutdown.Both);
        _client.Dispose();
        _echo.Join(TimeSpan.FromSeconds(5));
        _server.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Blocking()
    {
        _client.Send(_ping);
        return _client.Receive(_pong);
    }

    [Benchmark]
    public async Task<int> Await()
    {
        _client.Send(_ping);
        return await _client.ReceiveAsync(_pong.AsMemory(), SocketFlags.None).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task<int> FromAsync()
    {
        _client.Send(_ping);
        return await Task<int>.Factory.FromAsync(
            (callback, state) => _client.BeginReceive(_pong, 0, 1, SocketFlags.None, callback, state),
            _client.EndReceive,
            null).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task<int> BeginEndCallback()
    {
        _client.Send(_ping);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _client.BeginReceive(_pong, 0, 1, SocketFlags.None, static ar =>
        {
            var (socket, tcs) = ((Socket, TaskCompletionSource<int>))ar.AsyncState!;
            try
            {
                tcs.SetResult(socket.EndReceive(ar));
            }
            catch (SocketException ex)
            {
                tcs.SetException(ex);
            }
        }, (_client, done));
        return await done.Task.ConfigureAwait(false);
    }

    private void Echo()
    {
        var buffer = new byte[64];
        try
        {
            int n;
            while ((n = _server.Receive(buffer)) > 0)
            {
                _server.Send(buffer, 0, n, SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            // The client closed the connection: the benchmark is over.
        }
    }
}
