using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// A leaf never outlives the certificate that issues it (RFC 5280 §6.1.3 (a)(2): a path is valid
/// only while every certificate in it is; a leaf past its issuer's notAfter fails validation for
/// part of its life). Enforced by the authority on every X.509 issuance, whatever the plan says.
/// </summary>
/// <param name="issuerNotAfter">The issuing certificate's notAfter.</param>
public sealed class IssuerValidityValidator(DateTimeOffset issuerNotAfter) : ICertificateValidator<X509CertificateDescription>
{
    /// <inheritdoc />
    public void Validate(X509CertificateDescription certificate, IssuanceContext context)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.NotAfter > issuerNotAfter)
        {
            throw PkiException.Forbidden($"requested notAfter {certificate.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is after the issuing certificate's notAfter {issuerNotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }
}
