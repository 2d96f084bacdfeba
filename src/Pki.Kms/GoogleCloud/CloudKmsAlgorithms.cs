using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Remote;

namespace Smallstep.Pki.Kms.GoogleCloud;

/// <summary>
/// Cloud KMS <c>CryptoKeyVersionAlgorithm</c>s step's <c>kms/cloudkms</c> maps (signatureAlgorithmMapping,
/// cryptoKeyVersionMapping): which algorithm a new key gets, and how an existing key version signs.
/// Cloud KMS has no P-521 and no Ed25519 signing key (step's comment in cloudkms.go).
/// </summary>
internal static class CloudKmsAlgorithms
{
    /// <summary>The algorithm of a new key: P-256/P-384 ECDSA, or RSA PKCS#1 v1.5 SHA-256 of 2048, 3072 or 4096 bits.</summary>
    /// <exception cref="PkiException">NotImplemented for anything else.</exception>
    public static string ForNewKey(KeyAlgorithm algorithm, int rsaBits)
    {
        if (algorithm == KeyAlgorithm.EcdsaP256)
        {
            return "EC_SIGN_P256_SHA256";
        }
        if (algorithm == KeyAlgorithm.EcdsaP384)
        {
            return "EC_SIGN_P384_SHA384";
        }
        if (algorithm == KeyAlgorithm.Rsa && rsaBits is 2048 or 3072 or 4096)
        {
            return $"RSA_SIGN_PKCS1_{rsaBits}_SHA256";
        }
        var what = algorithm == KeyAlgorithm.Rsa ? $"RSA with {rsaBits} bits" : algorithm.Name;
        throw PkiException.NotImplemented($"cloudKMS does not support signature algorithm {what} (supported: EcdsaP256, EcdsaP384, Rsa 2048/3072/4096)");
    }

    /// <summary>How a key version with <paramref name="algorithm"/> signs, and the digest field its sign request uses.</summary>
    /// <exception cref="PkiException">NotImplemented for a key that does not sign (decryption, MAC) or an algorithm step does not map.</exception>
    public static (RemoteKeyDescription Key, string DigestField) Describe(string algorithm, byte[] spki) => algorithm switch
    {
        "EC_SIGN_P256_SHA256" or "EC_SIGN_P384_SHA384" => Digest(RemoteSignatureAlgorithms.Ecdsa(spki)),
        "RSA_SIGN_PKCS1_2048_SHA256" or "RSA_SIGN_PKCS1_3072_SHA256" or "RSA_SIGN_PKCS1_4096_SHA256" => Digest(RemoteSignatureAlgorithms.RsaPkcs1(spki, HashAlgorithmName.SHA256)),
        "RSA_SIGN_PKCS1_4096_SHA512" => Digest(RemoteSignatureAlgorithms.RsaPkcs1(spki, HashAlgorithmName.SHA512)),
        "RSA_SIGN_PSS_2048_SHA256" or "RSA_SIGN_PSS_3072_SHA256" or "RSA_SIGN_PSS_4096_SHA256" => Digest(RemoteSignatureAlgorithms.RsaPssWith(spki, HashAlgorithmName.SHA256)),
        "RSA_SIGN_PSS_4096_SHA512" => Digest(RemoteSignatureAlgorithms.RsaPssWith(spki, HashAlgorithmName.SHA512)),
        _ => throw PkiException.NotImplemented($"cloudKMS key algorithm {algorithm} cannot sign certificates (supported: EC_SIGN_P256_SHA256, EC_SIGN_P384_SHA384, RSA_SIGN_PKCS1_*, RSA_SIGN_PSS_*)"),
    };

    private static (RemoteKeyDescription, string) Digest(RemoteKeyDescription key) =>
        (key, key.Hash == HashAlgorithmName.SHA256 ? "sha256" : key.Hash == HashAlgorithmName.SHA384 ? "sha384" : "sha512");
}
