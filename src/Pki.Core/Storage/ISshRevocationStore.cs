using Smallstep.Pki.Issuance.Recording;

namespace Smallstep.Pki.Storage;

/// <summary>
/// Revoked SSH certificates (<c>revoked_ssh_certs</c>: serial → step-ca's <c>RevokedCertificateInfo</c>
/// JSON, db/db.go <c>RevokeSSH</c>, <c>IsSSHRevoked</c>). Revocation is passive: it is consulted when
/// a certificate is renewed or rekeyed. Thread-safe.
/// </summary>
public interface ISshRevocationStore
{
    /// <summary>
    /// Records the revocation if the serial is not revoked yet (insert-if-absent), together with
    /// <paramref name="steps"/> (the token burned) in one transaction: all or nothing.
    /// </summary>
    /// <exception cref="Errors.PkiException">
    /// The <see cref="IRecordingStep.Conflict"/> of a step whose condition fails (a used token: 401);
    /// BadRequest when the serial is already revoked.
    /// </exception>
    ValueTask RevokeAsync(RevocationRecord record, IReadOnlyList<IRecordingStep> steps, CancellationToken cancellationToken = default);

    /// <summary>Whether the serial (decimal, as step-ca looks it up) is revoked.</summary>
    ValueTask<bool> IsRevokedAsync(string serialDecimal, CancellationToken cancellationToken = default);
}
