using System.Security.Cryptography;

namespace Smallstep.Pki.TestServers.GoogleCloudKms;

/// <summary>A key version of the local Cloud KMS: a real private key and its Cloud KMS algorithm name.</summary>
internal sealed class CloudKmsKeyVersion(string name, string algorithm, string protectionLevel, AsymmetricAlgorithm key, int pendingChecks)
{
    private int _pendingChecks = pendingChecks;

    public string Name { get; } = name;

    public string Algorithm { get; } = algorithm;

    public string ProtectionLevel { get; } = protectionLevel;

    public AsymmetricAlgorithm Key { get; } = key;

    /// <summary><c>PENDING_GENERATION</c> for the first checks of a slow (HSM) key, then <c>ENABLED</c>.</summary>
    public string State => Volatile.Read(ref _pendingChecks) > 0 ? "PENDING_GENERATION" : "ENABLED";

    /// <summary>Counts one look at the state while it is pending.</summary>
    public void Checked() => Interlocked.Decrement(ref _pendingChecks);

    /// <summary>Generates the key of a Cloud KMS signing algorithm, or null for one this server does not know.</summary>
    public static AsymmetricAlgorithm? Generate(string algorithm)
    {
        var key = New(algorithm);
        // OpenSSL generates lazily: do it now, not inside a later request with a client timeout.
        (key as RSA)?.ExportParameters(false);
        return key;
    }

    private static AsymmetricAlgorithm? New(string algorithm) => algorithm switch
    {
        "EC_SIGN_P256_SHA256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "EC_SIGN_P384_SHA384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ when algorithm.StartsWith("RSA_SIGN_", StringComparison.Ordinal) && int.TryParse(algorithm.Split('_')[3], out var bits) && bits is 2048 or 3072 or 4096 => RSA.Create(bits),
        _ => null,
    };

    /// <summary>Signs a digest as Cloud KMS does: DER ECDSA, PKCS#1 v1.5 or PSS (salt = digest length); null when the digest does not fit the algorithm.</summary>
    public byte[]? SignDigest(string digestField, byte[] digest)
    {
        var hash = Algorithm.EndsWith("SHA512", StringComparison.Ordinal) ? ("sha512", 64)
            : Algorithm.EndsWith("SHA384", StringComparison.Ordinal) ? ("sha384", 48) : ("sha256", 32);
        if (digestField != hash.Item1 || digest.Length != hash.Item2)
        {
            return null;
        }
        var hashName = hash.Item2 switch { 64 => HashAlgorithmName.SHA512, 48 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA256 };
        return Key switch
        {
            ECDsa ec => ec.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignHash(digest, hashName, Algorithm.StartsWith("RSA_SIGN_PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
            _ => null,
        };
    }

    /// <summary>The public key as Cloud KMS returns it (PEM SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem() => Key.ExportSubjectPublicKeyInfoPem() + "\n";
}
