using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Smallstep.Pki.Tests.Host.Acme.RealClients;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1:PORT answering <c>GET /.well-known/acme-challenge/TOKEN</c>
/// with the file TOKEN from a directory, for clients that only write the http-01 file (acme-tiny,
/// dehydrated) and expect a web server to publish it. Anything else is 404. One request per
/// connection; the validator's Host header is ignored.
/// </summary>
internal sealed class ChallengeFileServer : IAsyncDisposable
{
    private const string Prefix = "/.well-known/acme-challenge/";
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _served;

    public ChallengeFileServer(int port, string directory)
    {
        Directory = directory;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>Where the challenge files are read from.</summary>
    public string Directory { get; }

    /// <summary>How many challenge files were served (200 answers).</summary>
    public int Served => Volatile.Read(ref _served);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var requestLine = await reader.ReadLineAsync(timeout.Token) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(timeout.Token)))
            {
                // Headers are not needed.
            }
            var parts = requestLine.Split(' ');
            byte[] body = [];
            var status = "404 Not Found";
            if (parts is ["GET", var target, _] && target.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var token = target[Prefix.Length..];
                var path = Path.Combine(Directory, token);
                if (token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && File.Exists(path))
                {
                    body = await File.ReadAllBytesAsync(path, timeout.Token);
                    status = "200 OK";
                    Interlocked.Increment(ref _served);
                }
            }
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, timeout.Token);
            await stream.WriteAsync(body, timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The validator hung up or the server is stopping.
        }
    }
}
