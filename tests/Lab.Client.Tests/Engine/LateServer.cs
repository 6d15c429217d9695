using System.Net.Sockets;
using System.Text;

namespace Lab.Client.Tests.Engine;

/// <summary>A bare HTTP/1.1 server on a socket that starts accepting only after a delay: a server that accepts late.</summary>
public static class LateServer
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

    /// <summary>Waits <paramref name="delay"/> (the server being late is the test's stimulus), then answers every request with 200 until stopped.</summary>
    public static async Task AcceptAfterAsync(Socket listener, TimeSpan delay, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var connections = new List<Task>();
        try
        {
            await Task.Delay(delay, ct);
            while (!ct.IsCancellationRequested)
            {
                var socket = await listener.AcceptAsync(ct);
                connections.Add(AnswerAsync(socket, ct));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private static async Task AnswerAsync(Socket socket, CancellationToken ct)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[4096];
                var received = new StringBuilder();
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await socket.ReceiveAsync(buffer, ct);
                    if (n == 0) return;
                    received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                await socket.SendAsync(Response, ct);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // A filler connection that never sent a request, closed at the end.
            }
        }
    }
}
