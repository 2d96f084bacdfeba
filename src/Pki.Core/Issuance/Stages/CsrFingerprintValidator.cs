using System.Buffers.Text;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// A token's <c>cnf</c> claim binds it to one CSR: <c>x5rt#S256</c> = base64url(SHA-256(CSR DER))
/// (RFC 8705 §3.1 naming; sign_options.go <c>csrFingerprintValidator</c>).
/// </summary>
public sealed class CsrFingerprintValidator(string fingerprint) : IRequestValidator<CertificationRequest>
{
    /// <inheritdoc />
    public void Validate(CertificationRequest csr)
    {
        var actual = Base64Url.EncodeToString(SHA256.HashData(csr.Der));
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(fingerprint)))
        {
            throw PkiException.Unauthorized("certificate request fingerprint does not match the token");
        }
    }
}
