using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage;

namespace Smallstep.Pki.Issuance.Recording;

/// <summary>
/// Something an authorization must record atomically with the certificate it allows: burning a
/// token's <c>jti</c>, marking an ACME order valid, closing a SCEP transaction. The authority hands
/// every step of a plan to the certificate store, which applies the steps' writes and the
/// certificate rows in one key-value transaction. A compare-and-swap write is the step's condition:
/// when it does not hold (the token was used meanwhile, on this node or another), nothing at all is
/// written and the store throws <see cref="Conflict"/>. Implementations are immutable.
/// </summary>
public interface IRecordingStep
{
    /// <summary>The writes, in step-ca's tables and encodings.</summary>
    IReadOnlyList<KeyValueOperation> Writes { get; }

    /// <summary>The refusal when one of the step's compare-and-swap conditions does not hold.</summary>
    PkiException Conflict();
}
