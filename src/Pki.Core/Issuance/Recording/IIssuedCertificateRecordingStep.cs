using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance.Recording;

/// <summary>
/// A recording step that also writes rows computed from the signed certificate (an ACME finalize
/// stores the leaf in <c>acme_certs</c>), which does not exist when the plan is built. The X.509
/// certificate store adds these writes to the same transaction as the certificate rows and the
/// step's <see cref="IRecordingStep.Writes"/>. Implementations are immutable.
/// </summary>
public interface IIssuedCertificateRecordingStep : IRecordingStep
{
    /// <summary>The writes for the issued certificate (plain sets; conditions belong in <see cref="IRecordingStep.Writes"/>).</summary>
    IReadOnlyList<KeyValueOperation> WritesFor(StoredCertificate certificate);
}
