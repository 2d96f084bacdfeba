using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// Sends hand-written HTTP/1.1 bytes over TLS to the host (for framing an <see cref="HttpClient"/>
/// would never produce: broken chunks, duplicate lengths, ...) and reads what comes back. Every
/// read has a socket timeout, so a hung server fails the test instead of waiting (no sleeps).
/// </summary>
internal static class RawHttps
{
    /// <summary>A parsed response, or <see cref="Closed"/> when the server closed without one.</summary>
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body, bool Closed)
    {
        public string? ContentType => Headers.GetValueOrDefault("content-type");

        public override string ToString() => Closed ? "connection closed without a response" : $"{Status} {Body}";
    }

    /// <summary>Connects, completes the TLS handshake (trusting only <paramref name="root"/>) and returns the stream.</summary>
    public static async Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(Uri baseAddress, X509Certificate2 root, TimeSpan? readTimeout = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        tcp.ReceiveTimeout = (int)(readTimeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds;
        tcp.SendTimeout = 10_000;
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var handshake = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = baseAddress.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => CaHttpClient.ChainsToRoot(root, certificate, chain, errors),
        }, handshake.Token);
        return (tcp, tls);
    }

    /// <summary>Sends <paramref name="request"/> on a new connection and reads one response (or the close).</summary>
    public static async Task<Response> SendAsync(Uri baseAddress, X509Certificate2 root, byte[] request, TimeSpan? readTimeout = null)
    {
        var (tcp, tls) = await ConnectAsync(baseAddress, root, readTimeout);
        using var _ = tcp;
        await using var __ = tls;
        try
        {
            await tls.WriteAsync(request);
            await tls.FlushAsync();
        }
        catch (IOException)
        {
            // The server may refuse and close before it read everything we sent.
        }
        return ReadResponse(tls);
    }

    /// <summary>Builds a request: the request line, headers (each "Name: value"), a blank line and the body.</summary>
    public static byte[] Build(string requestLine, IEnumerable<string> headers, byte[]? body = null)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>A POST with <c>Host</c>, <c>Connection: close</c>, JSON type and an exact Content-Length.</summary>
    public static byte[] Post(string path, byte[] body, params string[] extraHeaders) =>
        Build($"POST {path} HTTP/1.1", ["Host: 127.0.0.1", "Connection: close", "Content-Type: application/json", $"Content-Length: {body.Length}", .. extraHeaders], body);

    /// <summary>A GET with <c>Host</c> and <c>Connection: close</c>.</summary>
    public static byte[] Get(string pathAndQuery, params string[] extraHeaders) =>
        Build($"GET {pathAndQuery} HTTP/1.1", ["Host: 127.0.0.1", "Connection: close", .. extraHeaders]);

    /// <summary>Reads one HTTP/1.1 response: headers, then a Content-Length or chunked body (or up to the close).</summary>
    public static Response ReadResponse(Stream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[16 * 1024];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            int read;
            try
            {
                read = stream.Read(chunk);
            }
            catch (IOException e) when (buffer.Count == 0 && e.InnerException is not SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                // Reset or closed by the server without a response.
                return new Response(0, new Dictionary<string, string>(), "", Closed: true);
            }
            if (read == 0)
            {
                if (buffer.Count == 0)
                {
                    return new Response(0, new Dictionary<string, string>(), "", Closed: true);
                }
                throw new IOException("connection closed inside the response headers: " + Encoding.Latin1.GetString([.. buffer]));
            }
            buffer.AddRange(chunk.AsSpan(0, read));
        }
        var head = Encoding.Latin1.GetString([.. buffer[..headerEnd]]).Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var rest = buffer[(headerEnd + 4)..];
        byte[] body;
        if (headers.TryGetValue("content-length", out var lengthText))
        {
            var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
            ReadAtLeast(stream, rest, length, chunk);
            body = [.. rest.Take(length)];
        }
        else if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = ReadChunked(stream, rest, chunk);
        }
        else if (status is 204 or 304 || (status >= 100 && status < 200))
        {
            body = [];
        }
        else
        {
            ReadAtLeast(stream, rest, int.MaxValue, chunk);
            body = [.. rest];
        }
        return new Response(status, headers, Encoding.UTF8.GetString(body), Closed: false);
    }

    private static byte[] ReadChunked(Stream stream, List<byte> rest, byte[] chunk)
    {
        var body = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(rest, "\r\n"u8)) < 0)
            {
                Fill(stream, rest, chunk);
            }
            var size = Convert.ToInt32(Encoding.ASCII.GetString([.. rest[..lineEnd]]).Split(';')[0], 16);
            rest.RemoveRange(0, lineEnd + 2);
            ReadAtLeast(stream, rest, size + 2, chunk);
            if (size == 0)
            {
                return [.. body];
            }
            body.AddRange(rest.Take(size));
            rest.RemoveRange(0, size + 2);
        }
    }

    private static void ReadAtLeast(Stream stream, List<byte> buffer, int count, byte[] chunk)
    {
        while (buffer.Count < count)
        {
            if (!Fill(stream, buffer, chunk))
            {
                if (count == int.MaxValue)
                {
                    return;
                }
                throw new IOException($"connection closed after {buffer.Count} of {count} body bytes");
            }
        }
    }

    private static bool Fill(Stream stream, List<byte> buffer, byte[] chunk)
    {
        int read;
        try
        {
            read = stream.Read(chunk);
        }
        catch (IOException)
        {
            return false;
        }
        buffer.AddRange(chunk.AsSpan(0, read));
        return read > 0;
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = buffer[i + j] == pattern[j];
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }
}
