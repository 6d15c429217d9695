using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lab.Client.Load;

/// <summary>
/// A stand-in HTTP/1.1 server inside the client, on loopback, for warming the client's own request path (this
/// engine's code, HttpClient, sockets, the recorder) before t0 without sending a single request to the server under
/// test or depending on the lab's backend — so it works against any target. Plain sockets on dedicated threads: it
/// takes nothing from the client's thread pool while it answers.
/// </summary>
public sealed class WarmUpStandIn : IDisposable
{
    private static readonly byte[] s_response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nServer-Timing: standin;dur=0\r\n\r\nok");

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _connections = [];
    private readonly Lock _lock = new();
    private volatile bool _stopped;

    public WarmUpStandIn()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}/warm-up");
        new Thread(Accept) { IsBackground = true, Name = "lab-warmup-accept" }.Start();
    }

    public Uri Url { get; }

    private void Accept()
    {
        while (!_stopped)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock) _connections.Add(connection);
            new Thread(() => Serve(connection)) { IsBackground = true, Name = "lab-warmup-serve" }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        var buffer = new byte[4096];
        var pending = 0;
        try
        {
            while (!_stopped)
            {
                var n = connection.Receive(buffer, pending, buffer.Length - pending, SocketFlags.None);
                if (n == 0) return;
                pending += n;
                // Answer each complete request (GET, no body) in what was read; keep what is left.
                int end;
                while ((end = IndexOfHeaderEnd(buffer, pending)) >= 0)
                {
                    connection.Send(s_response);
                    Buffer.BlockCopy(buffer, end, buffer, 0, pending - end);
                    pending -= end;
                }

                if (pending == buffer.Length) return; // a header bigger than the buffer: not the client's warm-up
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client closed the connection.
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static int IndexOfHeaderEnd(byte[] b, int length)
    {
        for (var i = 3; i < length; i++)
        {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') return i + 1;
        }

        return -1;
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
        lock (_lock)
        {
            foreach (var c in _connections) c.Dispose();
        }
    }
}
