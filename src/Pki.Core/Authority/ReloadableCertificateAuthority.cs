using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>
/// An authority whose whole configuration can be replaced (SIGHUP): each call runs on one
/// generation from start to end, so requests in flight finish on the authority they started with.
/// Thread-safe.
/// </summary>
public sealed class ReloadableCertificateAuthority(CertificateAuthority initial) : ICertificateAuthority
{
    private volatile CertificateAuthority _current = initial;

    /// <summary>The generation serving new requests.</summary>
    public CertificateAuthority Current => _current;

    /// <summary>Replaces the authority for every request that starts from now on.</summary>
    public void Swap(CertificateAuthority next) => _current = next;

    /// <inheritdoc />
    public TrustBundle Trust => _current.Trust;

    /// <inheritdoc />
    public Audiences Audiences => _current.Audiences;

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default) => _current.SignAsync(request, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> IssueAsync(SignRequest request, SignAuthorization plan, CancellationToken cancellationToken = default) =>
        _current.IssueAsync(request, plan, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> RenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default) => _current.RenewAsync(certificate, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IssuedCertificate> RekeyAsync(X509Certificate2 certificate, CertificationRequest csr, CancellationToken cancellationToken = default) =>
        _current.RekeyAsync(certificate, csr, cancellationToken);

    /// <inheritdoc />
    public ValueTask RevokeAsync(RevokeRequest request, CancellationToken cancellationToken = default) => _current.RevokeAsync(request, cancellationToken);
}
