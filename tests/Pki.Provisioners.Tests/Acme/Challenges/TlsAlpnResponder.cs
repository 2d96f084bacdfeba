using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Acme.Challenges;

/// <summary>
/// A real TLS server on a loopback address that presents one certificate and negotiates the given
/// ALPN protocols (none: the extension is ignored); it records the SNI name each client sent.
/// </summary>
internal sealed class TlsAlpnResponder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly List<SslApplicationProtocol>? _protocols;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TlsAlpnResponder(IPAddress address, X509Certificate2 certificate, List<SslApplicationProtocol>? protocols)
    {
        _certificate = certificate;
        _protocols = protocols;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The listening port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The SNI name of the last handshake (null when the client sent none).</summary>
    public string? LastServerName { get; private set; }

    public static TlsAlpnResponder Start(X509Certificate2 certificate, params string[] protocols) =>
        new(IPAddress.Loopback, certificate, protocols.Length == 0 ? null : [.. protocols.Select(p => new SslApplicationProtocol(p))]);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
        _certificate.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ApplicationProtocols = _protocols,
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        LastServerName = name;
                        return _certificate;
                    },
                }, _stop.Token);
                // Wait for the client to close (it validates and hangs up); it sends nothing.
                _ = await tls.ReadAsync(new byte[1], _stop.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                // A client that refuses the handshake or hangs up is the normal end here.
            }
        }
    }
}
