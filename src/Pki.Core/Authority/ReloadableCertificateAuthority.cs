using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Authority;

/// <summary>
/// An authority whose whole configuration can be replaced (SIGHUP): each call runs on one
/// generation from start to end, so requests in flight finish on the authority they started with,
/// and hold that generation's lease so its key managers are released only after they finish.
/// Thread-safe.
/// </summary>
public sealed class ReloadableCertificateAuthority(CertificateAuthority initial) : ICertificateAuthority
{
    private readonly GenerationSlot<CertificateAuthority> _slot = new(initial);

    /// <summary>The generation serving new requests.</summary>
    public CertificateAuthority Current => _slot.Current;

    /// <summary>Replaces the authority for every request that starts from now on.</summary>
    public void Swap(CertificateAuthority next) => _slot.Swap(next, GenerationLease.Permanent);

    internal void Swap(CertificateAuthority next, GenerationLease lease) => _slot.Swap(next, lease);

    /// <inheritdoc />
    public TrustBundle Trust => _slot.Current.Trust;

    /// <inheritdoc />
    public Audiences Audiences => _slot.Current.Audiences;

    /// <inheritdoc />
    public Policy.INamePolicyEngine? NamePolicy => _slot.Current.NamePolicy;

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.SignAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> IssueAsync(SignRequest request, Provisioning.SignAuthorization plan, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.IssueAsync(request, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> RenewAsync(X509Certificate2 certificate, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.RenewAsync(certificate, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IssuedCertificate> RekeyAsync(X509Certificate2 certificate, CertificationRequest csr, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        return await use.Value.RekeyAsync(certificate, csr, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RevokeAsync(RevokeRequest request, CancellationToken cancellationToken = default)
    {
        using var use = _slot.Enter();
        await use.Value.RevokeAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
