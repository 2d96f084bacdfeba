using System.Net.Sockets;
using System.Text;

namespace Smallstep.Pki.Tests.Http;

/// <summary>An HTTP/1.1 response as bytes on the wire: status line, headers in order, body.</summary>
internal sealed record RawResponse(string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public int Status => int.Parse(StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>Parses a recorded response (the fixtures' <c>.http</c> files).</summary>
    public static RawResponse Parse(byte[] message)
    {
        var end = message.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(message, 0, end).Split("\r\n");
        var headers = head.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return (line[..colon], line[(colon + 1)..].Trim());
        }).ToList();
        return new RawResponse(head[0], headers, message[(end + 4)..]);
    }
}

/// <summary>
/// Sends one HTTP/1.1 request over a plain socket and returns the exact response, so tests can
/// compare status lines and header sets with the step-ca recordings (HttpClient normalises both).
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, string method, string pathAndQuery, byte[]? body = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n");
        if (body is not null)
        {
            request.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        }
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, timeout.Token);
        }

        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            received.AddRange(buffer.AsSpan(0, await ReadSomeAsync(stream, buffer, timeout.Token)).ToArray());
        }
        var head = RawResponse.Parse([.. received.Take(headerEnd + 4)]);
        var length = method == "HEAD" ? 0 : int.Parse(head.Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headerEnd + 4 + length)
        {
            received.AddRange(buffer.AsSpan(0, await ReadSomeAsync(stream, buffer, timeout.Token)).ToArray());
        }
        return head with { Body = [.. received.Skip(headerEnd + 4).Take(length)] };
    }

    private static async Task<int> ReadSomeAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return read > 0 ? read : throw new EndOfStreamException("server closed the connection early");
    }

    private static int IndexOfHeaderEnd(List<byte> received) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(received).IndexOf("\r\n\r\n"u8);
}
