using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Policy;

/// <summary>
/// Decides which names the CA may certify (issuance pipeline stage 6). Every method returns when
/// all names are allowed and throws a <see cref="PkiException"/> of kind
/// <see cref="PkiErrorKind.Forbidden"/> naming the first refused name otherwise. Implementations
/// are immutable and thread-safe.
/// </summary>
public interface INamePolicyEngine
{
    /// <summary>Checks the names an X.509 certificate will carry (SANs, then subject common name).</summary>
    /// <exception cref="PkiException">Forbidden when a name is refused; BadRequest when the description holds invalid DER.</exception>
    void CheckX509(X509CertificateDescription certificate);

    /// <summary>Checks free-form names such as ACME order identifiers against the X.509 rules.</summary>
    /// <exception cref="PkiException">Forbidden when a name is refused.</exception>
    void CheckSans(IEnumerable<string> sans);

    /// <summary>Checks the principals of an SSH user certificate.</summary>
    /// <exception cref="PkiException">Forbidden when a principal or user certificates are refused.</exception>
    void CheckSshUser(IEnumerable<string> principals);

    /// <summary>Checks the principals of an SSH host certificate.</summary>
    /// <exception cref="PkiException">Forbidden when a principal or host certificates are refused.</exception>
    void CheckSshHost(IEnumerable<string> principals);
}
