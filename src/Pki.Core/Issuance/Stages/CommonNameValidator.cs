using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// The CSR common name must be empty or one of the allowed names (sign_options.go
/// <c>commonNameSliceValidator</c>; JWK allows the token subject and its SANs).
/// </summary>
public sealed class CommonNameValidator(IReadOnlyCollection<string> allowed) : IRequestValidator<CertificationRequest>
{
    /// <inheritdoc />
    public void Validate(CertificationRequest csr)
    {
        var cn = csr.Subject.CommonName;
        if (cn.Length == 0 || allowed.Contains(cn))
        {
            return;
        }
        throw PkiException.Forbidden($"certificate request does not contain the valid common name - got {cn}, want [{string.Join(' ', allowed)}]");
    }
}
