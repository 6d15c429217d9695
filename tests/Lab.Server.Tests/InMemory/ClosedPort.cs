using System.Net;
using System.Net.Sockets;

namespace Lab.Server.Tests.InMemory;

/// <summary>A loopback port nothing listens on (taken, then released at once): a backend that refuses connections.</summary>
public static class ClosedPort
{
    public static string Url()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
