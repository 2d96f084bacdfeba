using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// How a key of one AWS key spec signs: the AWS <c>SigningAlgorithm</c>, the hash computed here
/// (the message goes to AWS as a <c>DIGEST</c>, as step's awskms signer sends Go's digest), and the
/// X.509 <c>AlgorithmIdentifier</c> of the result. ECDSA follows the curve (step's
/// <c>customerMasterKeySpecMapping</c>: P-256/SHA-256, P-384/SHA-384, P-521/SHA-512); RSA uses the
/// configured scheme, PKCS#1 v1.5 with SHA-256 by default, which is what Go's x509 picks for RSA
/// issuers. AWS returns ECDSA signatures DER-encoded (RFC 3279 §2.2.3) and RSA ones raw, both
/// exactly what <see cref="ICertificateSigner.SignAsync"/> promises.
/// </summary>
/// <param name="SigningAlgorithm">The AWS <c>SigningAlgorithmSpec</c>, e.g. <c>ECDSA_SHA_256</c>.</param>
/// <param name="Hash">The digest computed locally.</param>
/// <param name="AlgorithmIdentifier">The DER X.509 signature AlgorithmIdentifier.</param>
internal sealed record AwsSigningScheme(string SigningAlgorithm, HashAlgorithmName Hash, byte[] AlgorithmIdentifier)
{
    /// <summary>The RSA schemes AWS KMS offers, by AWS name.</summary>
    public static IReadOnlyDictionary<string, AwsSigningScheme> Rsa { get; } = new Dictionary<string, AwsSigningScheme>(StringComparer.Ordinal)
    {
        ["RSASSA_PKCS1_V1_5_SHA_256"] = new("RSASSA_PKCS1_V1_5_SHA_256", HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.Sha256WithRsaEncryption),
        ["RSASSA_PKCS1_V1_5_SHA_384"] = new("RSASSA_PKCS1_V1_5_SHA_384", HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.Sha384WithRsaEncryption),
        ["RSASSA_PKCS1_V1_5_SHA_512"] = new("RSASSA_PKCS1_V1_5_SHA_512", HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.Sha512WithRsaEncryption),
        ["RSASSA_PSS_SHA_256"] = new("RSASSA_PSS_SHA_256", HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.RsaPssSha256),
        ["RSASSA_PSS_SHA_384"] = new("RSASSA_PSS_SHA_384", HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.RsaPssSha384),
        ["RSASSA_PSS_SHA_512"] = new("RSASSA_PSS_SHA_512", HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.RsaPssSha512),
    };

    private static readonly AwsSigningScheme EcdsaSha256 = new("ECDSA_SHA_256", HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.EcdsaWithSha256);
    private static readonly AwsSigningScheme EcdsaSha384 = new("ECDSA_SHA_384", HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.EcdsaWithSha384);
    private static readonly AwsSigningScheme EcdsaSha512 = new("ECDSA_SHA_512", HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.EcdsaWithSha512);

    /// <summary>The digest of <paramref name="data"/> that AWS signs.</summary>
    public byte[] Digest(ReadOnlySpan<byte> data) =>
        Hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data)
        : Hash == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
        : SHA512.HashData(data);

    /// <summary>The key algorithm and signing scheme of a key of <paramref name="keySpec"/>.</summary>
    /// <param name="keySpec">The key's AWS <c>KeySpec</c> from GetPublicKey.</param>
    /// <param name="rsaScheme">The scheme for RSA keys (one of <see cref="Rsa"/>'s names).</param>
    /// <param name="keyId">The key, named in errors.</param>
    /// <exception cref="PkiException">BadRequest for a key spec a CA cannot sign with here.</exception>
    public static (KeyAlgorithm Algorithm, AwsSigningScheme Scheme) ForKeySpec(string? keySpec, string rsaScheme, string keyId)
    {
        if (keySpec == KeySpec.ECC_NIST_P256.Value)
        {
            return (KeyAlgorithm.EcdsaP256, EcdsaSha256);
        }
        if (keySpec == KeySpec.ECC_NIST_P384.Value)
        {
            return (KeyAlgorithm.EcdsaP384, EcdsaSha384);
        }
        if (keySpec == KeySpec.ECC_NIST_P521.Value)
        {
            return (KeyAlgorithm.EcdsaP521, EcdsaSha512);
        }
        if (keySpec == KeySpec.RSA_2048.Value || keySpec == KeySpec.RSA_3072.Value || keySpec == KeySpec.RSA_4096.Value)
        {
            return (KeyAlgorithm.Rsa, RsaScheme(rsaScheme));
        }
        throw PkiException.BadRequest($"awskms key '{keyId}' has key spec {keySpec ?? "(none)"}; a CA key must be ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, RSA_2048, RSA_3072 or RSA_4096");
    }

    /// <summary>The AWS key spec to create for a key algorithm (step's <c>customerMasterKeySpecMapping</c>).</summary>
    /// <exception cref="PkiException">BadRequest for an algorithm or RSA size AWS KMS does not create.</exception>
    public static KeySpec KeySpecFor(KeyAlgorithm algorithm, int rsaBits)
    {
        if (algorithm == KeyAlgorithm.EcdsaP256)
        {
            return KeySpec.ECC_NIST_P256;
        }
        if (algorithm == KeyAlgorithm.EcdsaP384)
        {
            return KeySpec.ECC_NIST_P384;
        }
        if (algorithm == KeyAlgorithm.EcdsaP521)
        {
            return KeySpec.ECC_NIST_P521;
        }
        if (algorithm == KeyAlgorithm.Rsa)
        {
            return rsaBits switch
            {
                2048 => KeySpec.RSA_2048,
                3072 => KeySpec.RSA_3072,
                4096 => KeySpec.RSA_4096,
                _ => throw PkiException.BadRequest($"awskms does not create {rsaBits}-bit RSA keys: AWS KMS offers 2048, 3072 and 4096 bits"),
            };
        }
        throw PkiException.BadRequest($"awskms does not create {algorithm} keys: use EcdsaP256, EcdsaP384, EcdsaP521 or Rsa");
    }

    /// <summary>The RSA scheme named <paramref name="name"/>.</summary>
    /// <exception cref="PkiException">BadRequest for an unknown name.</exception>
    public static AwsSigningScheme RsaScheme(string name) =>
        Rsa.TryGetValue(name, out var scheme)
            ? scheme
            : throw PkiException.BadRequest($"unknown awskms RSA signing algorithm '{name}': use one of {string.Join(", ", Rsa.Keys)}");
}
