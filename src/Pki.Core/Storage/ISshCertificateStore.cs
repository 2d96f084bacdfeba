using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Storage;

/// <summary>
/// Issued SSH certificates (tables <c>ssh_certs</c>, <c>ssh_hosts</c>, <c>ssh_host_principals</c>,
/// <c>ssh_users</c>), in step-ca's format (db/db.go <c>StoreSSHCertificate</c>). Thread-safe; every
/// method is atomic.
/// </summary>
public interface ISshCertificateStore
{
    /// <summary>
    /// Stores certificates issued for one one-time token and burns the token, in one transaction:
    /// the replay key is inserted into <c>used_ott</c> only if absent, and the certificate rows are
    /// written only then. Returns false (nothing written) when the token was already used.
    /// </summary>
    ValueTask<bool> StoreIssuedAsync(IReadOnlyList<SshCertificate> certificates, string replayKey, string token, CancellationToken cancellationToken = default);

    /// <summary>Stores certificates in one transaction (no token to burn).</summary>
    ValueTask StoreAsync(IReadOnlyList<SshCertificate> certificates, CancellationToken cancellationToken = default);

    /// <summary>Returns the wire blob of the certificate with this serial, or null.</summary>
    ValueTask<byte[]?> GetAsync(ulong serial, CancellationToken cancellationToken = default);
}
