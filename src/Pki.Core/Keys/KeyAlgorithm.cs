namespace Smallstep.Pki.Keys;

/// <summary>Key types the CA signs with (step's <c>kms/apiv1</c> signature algorithms, by key).</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256.</summary>
    EcdsaP256,
    /// <summary>ECDSA on NIST P-384 with SHA-384.</summary>
    EcdsaP384,
    /// <summary>ECDSA on NIST P-521 with SHA-512.</summary>
    EcdsaP521,
    /// <summary>RSA with PKCS#1 v1.5 and SHA-256.</summary>
    Rsa,
    /// <summary>Ed25519 (RFC 8032).</summary>
    Ed25519,
}
