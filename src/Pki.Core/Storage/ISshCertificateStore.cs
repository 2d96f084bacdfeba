using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Storage;

/// <summary>
/// Issued SSH certificates (tables <c>ssh_certs</c>, <c>ssh_hosts</c>, <c>ssh_host_principals</c>,
/// <c>ssh_users</c>), in step-ca's format (db/db.go <c>StoreSSHCertificate</c>). Thread-safe; every
/// method is atomic; the certificates of one request are recorded with the plan's recording steps in one transaction.
/// </summary>
public interface ISshCertificateStore : IIssuanceStore<IReadOnlyList<SshCertificate>>
{
    /// <summary>Returns the wire blob of the certificate with this serial, or null.</summary>
    ValueTask<byte[]?> GetAsync(ulong serial, CancellationToken cancellationToken = default);
}
