using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// tls-alpn-01 (RFC 8737): a TLS 1.2+ handshake with <c>{identifier}:{TlsPort}</c> offering only
/// the ALPN protocol <c>acme-tls/1</c>, SNI the name (for an IP its reverse name, RFC 8738 §6),
/// without verifying the chain (the certificate is self-signed, RFC 8737 §3); the leaf is then
/// checked by <see cref="TlsAlpn01Certificate"/>. The connection goes through the network policy.
/// A server that does not negotiate <c>acme-tls/1</c>, or presents a wrong certificate, makes the
/// challenge invalid; one that cannot be reached or fails the handshake leaves it pending, as in
/// step-ca. Thread-safe.
/// </summary>
internal sealed class TlsAlpn01ChallengeValidator : IAcmeChallengeValidator
{
    /// <summary>The ALPN protocol of the challenge (RFC 8737 §6.2).</summary>
    internal static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1");

    private readonly AcmeChallengeOptions options;
    private readonly AcmeChallengeAttemptRunner runner;
    private readonly AcmeNetworkDialer dialer;

    public TlsAlpn01ChallengeValidator(IOptions<AcmeChallengeOptions> options, TimeProvider timeProvider, ILogger<TlsAlpn01ChallengeValidator> logger)
    {
        this.options = options.Value;
        runner = new AcmeChallengeAttemptRunner(Type, this.options, timeProvider, logger);
        dialer = new AcmeNetworkDialer(
            new AcmeNetworkPolicy(this.options.AllowLoopback, this.options.AllowPrivateNetworks),
            AcmeDnsLookup.CreateForHosts(this.options),
            logger);
    }

    /// <inheritdoc />
    public string Type => "tls-alpn-01";

    /// <inheritdoc />
    public ValueTask<AcmeChallengeOutcome> ValidateAsync(AcmeChallengeAttempt attempt, CancellationToken cancellationToken) =>
        runner.RunAsync(attempt, HandshakeAsync, cancellationToken);

    private async ValueTask<AcmeChallengeOutcome> HandshakeAsync(AcmeChallengeTarget target, AcmeChallengeAttempt attempt, CancellationToken cancellationToken)
    {
        var socket = await dialer.ConnectAsync(target.UriHost, options.TlsPort, cancellationToken).ConfigureAwait(false);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        await using (tls.ConfigureAwait(false))
        {
            byte[]? leaf = null;
            var authentication = new SslClientAuthenticationOptions
            {
                TargetHost = target.TlsServerName,
                ApplicationProtocols = [AcmeTls1],
                // RFC 8737 §4: only TLS 1.2 or higher.
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // RFC 8737 §3: the certificate is self-signed; what matters is checked below.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    leaf = certificate?.GetRawCertData();
                    return true;
                },
            };
            try
            {
                await tls.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationException e) when (RefusedApplicationProtocol(e))
            {
                return NoAcmeTls1(target);
            }
            catch (AuthenticationException e)
            {
                return new AcmeChallengeOutcome(AcmeChallengeVerdict.RetryLater, "tls", $"TLS handshake with {target.Name}:{options.TlsPort} failed: {e.InnerException?.Message ?? e.Message}");
            }
            if (tls.NegotiatedApplicationProtocol != AcmeTls1)
            {
                return NoAcmeTls1(target);
            }
            return leaf is null
                ? new AcmeChallengeOutcome(AcmeChallengeVerdict.Invalid, "incorrectResponse", $"{target.Name} presented no certificate")
                : TlsAlpn01Certificate.Check(leaf, target, attempt.KeyAuthorization);
        }
    }

    private static AcmeChallengeOutcome NoAcmeTls1(AcmeChallengeTarget target) =>
        new(AcmeChallengeVerdict.Invalid, "tls", $"{target.Name} did not negotiate the ALPN protocol acme-tls/1 (RFC 8737 §3)");

    // RFC 7301 §3.2: a server supporting none of the offered protocols answers the fatal alert
    // no_application_protocol (120); OpenSSL reports it by this text.
    private static bool RefusedApplicationProtocol(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("no application protocol", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
