using System.Net;
using System.Text;

namespace Lab.Server.Server.Probes;

#pragma warning disable SYSLIB0014 // C15–C17: HttpWebRequest is the API under test.

/// <summary>The requests the probes make to the lab's backend, and reading their answers to the end.</summary>
public static class ProbeRequests
{
    /// <summary>A small known body: small enough to cost nothing, distinctive enough that a wrong echo shows.</summary>
    public static ReadOnlyMemory<byte> EchoBody { get; } = Encoding.ASCII.GetBytes("thread-starvation-lab probe body: 0123456789 abcdefghijklmnopqrstuvwxyz\n");

    /// <summary>GET one item with no delay: the backend answers at once, so every millisecond measured is the client's.</summary>
    public static HttpWebRequest Products(Uri backend) => WebRequest.CreateHttp(new Uri(backend, "/products?delayMs=0&items=1"));

    /// <summary>POST <see cref="EchoBody"/> to <c>/echo</c>. Without buffering the request stream is the connection itself.</summary>
    public static HttpWebRequest Echo(Uri backend, bool buffering)
    {
        var request = WebRequest.CreateHttp(new Uri(backend, "/echo"));
        request.Method = "POST";
        request.ContentType = "application/octet-stream";
        // Unbuffered needs the length up front (or chunking); buffered computes it anyway.
        request.ContentLength = EchoBody.Length;
        request.AllowWriteStreamBuffering = buffering;
        return request;
    }

    public static void WriteBody(Stream requestStream)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        using (requestStream)
        {
            requestStream.Write(EchoBody.Span);
        }
    }

    public static byte[] ReadAll(WebResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var body = response.GetResponseStream();
        using var copy = new MemoryStream();
        body.CopyTo(copy);
        return copy.ToArray();
    }

    public static async Task<byte[]> ReadAllAsync(WebResponse response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var body = response.GetResponseStream();
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        return copy.ToArray();
    }
}
