using System.Security.Cryptography;

namespace Smallstep.Pki.TestServers.AwsKms;

/// <summary>
/// One key held by the local server, with a real private key for asymmetric specs (none for
/// SYMMETRIC_DEFAULT). Thread-safe: each operation builds its own key object from parameters.
/// </summary>
internal sealed class KmsKey
{
    private readonly ECParameters? _ec;
    private readonly RSAParameters? _rsa;

    private KmsKey(string id, string arn, string keySpec, string keyUsage, string? description, ECParameters? ec, RSAParameters? rsa, byte[]? spki)
    {
        Id = id;
        Arn = arn;
        KeySpec = keySpec;
        KeyUsage = keyUsage;
        Description = description;
        _ec = ec;
        _rsa = rsa;
        SubjectPublicKeyInfo = spki;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public string Id { get; }

    public string Arn { get; }

    public string KeySpec { get; }

    public string KeyUsage { get; }

    public string? Description { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>DER SubjectPublicKeyInfo; null for symmetric keys.</summary>
    public byte[]? SubjectPublicKeyInfo { get; }

    /// <summary>Sign/verify algorithms AWS lists for the spec (developer guide, "key spec reference").</summary>
    public IReadOnlyList<string> SigningAlgorithms => KeyUsage != "SIGN_VERIFY" ? []
        : KeySpec switch
        {
            "ECC_NIST_P256" => ["ECDSA_SHA_256"],
            "ECC_NIST_P384" => ["ECDSA_SHA_384"],
            "ECC_NIST_P521" => ["ECDSA_SHA_512"],
            _ => ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"],
        };

    /// <summary>Encryption algorithms AWS lists for the spec.</summary>
    public IReadOnlyList<string> EncryptionAlgorithms => KeyUsage != "ENCRYPT_DECRYPT" ? []
        : KeySpec == "SYMMETRIC_DEFAULT" ? ["SYMMETRIC_DEFAULT"] : ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

    /// <summary>Generates a key, or returns null when AWS would refuse the spec/usage combination.</summary>
    public static KmsKey? Generate(string id, string arn, string keySpec, string keyUsage, string? description)
    {
        switch (keySpec)
        {
            case "ECC_NIST_P256" or "ECC_NIST_P384" or "ECC_NIST_P521" when keyUsage == "SIGN_VERIFY":
            {
                using var ec = ECDsa.Create(keySpec switch
                {
                    "ECC_NIST_P256" => ECCurve.NamedCurves.nistP256,
                    "ECC_NIST_P384" => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                });
                return new KmsKey(id, arn, keySpec, keyUsage, description, ec.ExportParameters(true), null, ec.ExportSubjectPublicKeyInfo());
            }
            case "RSA_2048" or "RSA_3072" or "RSA_4096" when keyUsage is "SIGN_VERIFY" or "ENCRYPT_DECRYPT":
            {
                using var rsa = RSA.Create(int.Parse(keySpec[4..], System.Globalization.CultureInfo.InvariantCulture));
                return new KmsKey(id, arn, keySpec, keyUsage, description, null, rsa.ExportParameters(true), rsa.ExportSubjectPublicKeyInfo());
            }
            case "SYMMETRIC_DEFAULT" when keyUsage == "ENCRYPT_DECRYPT":
                return new KmsKey(id, arn, keySpec, keyUsage, description, null, null, null);
            default:
                return null;
        }
    }

    /// <summary>Signs a digest with one of <see cref="SigningAlgorithms"/>: ECDSA as DER, RSA raw, as AWS returns them.</summary>
    public byte[] SignDigest(byte[] digest, string algorithm)
    {
        if (_ec is { } ec)
        {
            using var key = ECDsa.Create(ec);
            return key.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        }
        using var rsa = RSA.Create(_rsa!.Value);
        var padding = algorithm.StartsWith("RSASSA_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.SignHash(digest, HashOf(algorithm), padding);
    }

    /// <summary>The hash an AWS signing algorithm names.</summary>
    public static HashAlgorithmName HashOf(string algorithm) =>
        algorithm.EndsWith("256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256
        : algorithm.EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : HashAlgorithmName.SHA512;
}
