using Smallstep.Pki.Errors;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// Accepts RSA keys of at least 2048 bits, ECDSA on P-256/384/521 and Ed25519
/// (sign_options.go <c>defaultPublicKeyValidator</c>).
/// </summary>
public sealed class PublicKeyValidator : IRequestValidator<CertificationRequest>
{
    /// <summary>The shared instance (stateless).</summary>
    public static PublicKeyValidator Instance { get; } = new();

    /// <inheritdoc />
    public void Validate(CertificationRequest csr)
    {
        var key = csr.PublicKey;
        switch (key.Kind)
        {
            case PublicKeyKind.Rsa when key.Bits < 2048:
                throw PkiException.Forbidden("rsa key in CSR must be at least 2048 bits (256 bytes)");
            case PublicKeyKind.Ec when key.Bits == 0:
                throw PkiException.Forbidden("ecdsa key in CSR uses an unsupported curve");
            case PublicKeyKind.Other:
                throw PkiException.Forbidden("unrecognized public key type in CSR");
        }
    }
}
