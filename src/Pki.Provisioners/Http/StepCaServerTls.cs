using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Provisioners.Http;

/// <summary>
/// TLS server settings as step-ca's listener has them (ca/ca.go <c>getTLSConfig</c>): the CA's own
/// TLS certificate (<see cref="AuthorityRuntime.ServerCertificates"/>, renewed when due, sent with its
/// intermediates, no SNI needed), client certificates asked for but optional ("verify if given":
/// none is fine, a given one must chain to the CA's roots, else the handshake fails), and the ca.json
/// <c>tls</c> block's versions and TLS 1.2 cipher suites. An optional client certificate is what
/// <c>POST /renew</c> and <c>/rekey</c> over mutual TLS need. The HTTP layer checks a presented
/// certificate again (chain, clientAuth, validity), so a more permissive setup still fails closed.
/// Thread-safe; one instance serves every handshake of a listener.
/// </summary>
public sealed class StepCaServerTls
{
    // TLS 1.3 suites are not configurable in Go's crypto/tls; keep them enabled as step-ca does.
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    private readonly Func<AuthorityRuntime> _runtime;
    private readonly SslProtocols _protocols;
    private readonly CipherSuitesPolicy? _ciphers;
    private readonly Lock _gate = new();
    private (X509Certificate2 Certificate, SslStreamCertificateContext Context)? _context;

    /// <summary>
    /// Creates the settings. The runtime, not one certificate: after a reload (SIGHUP) the next
    /// handshake presents the new generation's certificate and trusts its roots.
    /// </summary>
    /// <param name="runtime">The running authority, read at each handshake (the start-up step builds it before the server listens).</param>
    /// <param name="tls">The ca.json <c>tls</c> block (usually <c>runtime.Loaded.Config.EffectiveTls</c>).</param>
    /// <exception cref="CaConfigException">A cipher suite name is not known.</exception>
    public StepCaServerTls(Func<AuthorityRuntime> runtime, TlsConfig tls)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(tls);
        _runtime = runtime;
        _protocols = Protocols(tls.MinVersion, tls.MaxVersion);
        _ciphers = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(Suites(tls, _protocols)) : null;
    }

    /// <summary>Server options for one handshake (renews the CA's TLS certificate first when due).</summary>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    /// <returns>Options for <see cref="SslStream.AuthenticateAsServerAsync(SslServerAuthenticationOptions, CancellationToken)"/>.</returns>
    public async ValueTask<SslServerAuthenticationOptions> OptionsForHandshakeAsync(CancellationToken cancellationToken = default)
    {
        // Renewal signs with the current generation's key, under its lease (AuthorityRuntime).
        var current = await _runtime().RenewServerCertificateIfDueAsync(cancellationToken).ConfigureAwait(false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = ContextFor(current),
            EnabledSslProtocols = _protocols,
            // Asks for a certificate; ValidateClientCertificate accepts none ("verify if given").
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = ValidateClientCertificate,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
        if (_ciphers is not null)
        {
            options.CipherSuitesPolicy = _ciphers;
        }
        return options;
    }

    private SslStreamCertificateContext ContextFor(ServerCertificate current)
    {
        lock (_gate)
        {
            if (_context is not { } cached || !ReferenceEquals(cached.Certificate, current.Certificate))
            {
                cached = (current.Certificate, SslStreamCertificateContext.Create(current.Certificate, new X509Certificate2Collection(current.Chain.ToArray()), offline: true));
                _context = cached;
            }
            return cached.Context;
        }
    }

    // "Verify if given": no certificate is fine; a given one must chain to our roots now.
    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return true;
        }
        using var leaf = new X509Certificate2(certificate);
        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        var trust = _runtime().Authority.Trust;
        verifier.ChainPolicy.CustomTrustStore.AddRange(trust.Roots.ToArray());
        verifier.ChainPolicy.ExtraStore.AddRange(trust.Intermediates.ToArray());
        if (chain is not null)
        {
            verifier.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }
        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return verifier.Build(leaf);
    }

    private static SslProtocols Protocols(double min, double max)
    {
        var protocols = SslProtocols.None;
        if (min <= 1.2 && max >= 1.2)
        {
            protocols |= SslProtocols.Tls12;
        }
        if (max >= 1.3)
        {
            protocols |= SslProtocols.Tls13;
        }
        return protocols == SslProtocols.None ? SslProtocols.Tls12 | SslProtocols.Tls13 : protocols;
    }

    private static IEnumerable<TlsCipherSuite> Suites(TlsConfig tls, SslProtocols protocols)
    {
        var suites = tls.CipherSuites.Select(Parse).ToList();
        if (protocols.HasFlag(SslProtocols.Tls13))
        {
            suites.AddRange(Tls13Suites);
        }
        return suites;
    }

    // Go accepts the IANA names and the legacy CHACHA20 names without the hash suffix.
    private static TlsCipherSuite Parse(string name)
    {
        if (Enum.TryParse<TlsCipherSuite>(name, out var suite) || Enum.TryParse(name + "_SHA256", out suite))
        {
            return suite;
        }
        throw new CaConfigException("ca.json", [ConfigDiagnostic.Error("tls.cipherSuites", $"unsupported cipher suite {name}")]);
    }
}
