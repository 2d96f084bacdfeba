using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Authority;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// The HTTPS listener's TLS settings as step-ca sets them (ca/ca.go <c>getTLSConfig</c>): the
/// certificate always comes from the CA's own renewing source (no SNI needed), client
/// certificates are asked for but optional ("verify if given") and checked against the roots and
/// intermediates, and <c>tls</c> in ca.json picks versions and TLS 1.2 cipher suites.
/// </summary>
internal sealed class TlsServerSetup
{
    // TLS 1.3 suites are not configurable in Go's crypto/tls; keep them enabled as step-ca does.
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    private readonly Func<AuthorityRuntime> _runtime;
    private readonly SslProtocols _protocols;
    private readonly CipherSuitesPolicy? _ciphers;
    private SslStreamCertificateContext? _context;
    private X509Certificate2? _contextCertificate;

    // The runtime, not one certificate source: a reload (SIGHUP) brings a new source and trust. It is
    // read per handshake: the start-up step builds it before Kestrel accepts the first connection.
    public TlsServerSetup(Func<AuthorityRuntime> runtime, TlsConfig tls)
    {
        _runtime = runtime;
        _protocols = Protocols(tls.MinVersion, tls.MaxVersion);
        _ciphers = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(Suites(tls, _protocols)) : null;
    }

    /// <summary>Server options for one handshake (renews the certificate first when due).</summary>
    public async ValueTask<SslServerAuthenticationOptions> OptionsForHandshakeAsync(CancellationToken cancellationToken)
    {
        // Renewal signs with the current generation's key, under its lease (AuthorityRuntime).
        var current = await _runtime().RenewServerCertificateIfDueAsync(cancellationToken).ConfigureAwait(false);
        var context = _context;
        if (context is null || !ReferenceEquals(_contextCertificate, current.Certificate))
        {
            context = SslStreamCertificateContext.Create(current.Certificate, new X509Certificate2Collection(current.Chain.ToArray()), offline: true);
            _context = context;
            _contextCertificate = current.Certificate;
        }
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = _protocols,
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
