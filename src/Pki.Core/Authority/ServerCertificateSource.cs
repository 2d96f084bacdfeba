using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Authority;

/// <summary>
/// The CA's own TLS certificate, as step-ca mints it (authority/tls.go <c>GetTLSCertificate</c>,
/// ca/renew.go): a fresh EC P-256 key, CN = <c>commonName</c>, SANs = <c>dnsNames</c>, 24 h,
/// backdated by a minute, issued from the intermediate and renewed when a third of its lifetime
/// is left. Thread-safe; <see cref="Current"/> never blocks on signing.
/// </summary>
public sealed class ServerCertificateSource : IDisposable
{
    /// <summary>Lifetime of the server certificate.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly X509Issuer _issuer;
    private readonly string _commonName;
    private readonly IReadOnlyList<string> _dnsNames;
    private readonly TimeProvider _time;
    private readonly TimeSpan _backdate;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private volatile ServerCertificate? _current;

    /// <summary>Creates the source; call <see cref="RenewIfDueAsync"/> once before serving.</summary>
    public ServerCertificateSource(X509Issuer issuer, string commonName, IReadOnlyList<string> dnsNames, TimeProvider time, TimeSpan backdate)
    {
        _issuer = issuer;
        _commonName = commonName;
        _dnsNames = dnsNames;
        _time = time;
        _backdate = backdate;
    }

    /// <summary>The certificate to present now.</summary>
    public ServerCertificate Current => _current ?? throw new InvalidOperationException("the server certificate has not been issued yet");

    /// <summary>Issues a new certificate when none exists or a third of the lifetime is left.</summary>
    public async ValueTask RenewIfDueAsync(CancellationToken cancellationToken = default)
    {
        if (!IsDue())
        {
            return;
        }
        await _renewing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsDue())
            {
                // The previous certificate is not disposed: handshakes in flight may still use it.
                _current = await IssueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _current?.Dispose();
        _renewing.Dispose();
    }

    private bool IsDue()
    {
        var current = _current;
        return current is null || _time.GetUtcNow() >= current.RenewAfter;
    }

    private async ValueTask<ServerCertificate> IssueAsync(CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = key.ExportSubjectPublicKeyInfo();
        var now = _time.GetUtcNow();
        var description = DefaultLeafTemplate.Render(
            new TemplateInput(DistinguishedName.FromCommonName(_commonName), SubjectAlternativeNames.Split(_dnsNames)),
            spki,
            SubjectPublicKey.Decode(spki));
        description.NotBefore = now - _backdate;
        description.NotAfter = now + Lifetime;
        var (der, _) = await _issuer.IssueAsync(description, cancellationToken).ConfigureAwait(false);
        using var publicOnly = X509CertificateLoader.LoadCertificate(der);
        var withKey = publicOnly.CopyWithPrivateKey(key);
        return new ServerCertificate(withKey, _issuer.Chain, now + Lifetime * 2 / 3);
    }
}

/// <summary>A server certificate with its private key and issuing chain.</summary>
/// <param name="Certificate">The leaf with its private key.</param>
/// <param name="Chain">The intermediates to send with it.</param>
/// <param name="RenewAfter">When a replacement should be issued.</param>
public sealed record ServerCertificate(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain, DateTimeOffset RenewAfter) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
