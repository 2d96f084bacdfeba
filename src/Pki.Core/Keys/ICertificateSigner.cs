namespace Smallstep.Pki.Keys;

/// <summary>
/// A private key that signs. Implementations may be remote (HSM, cloud KMS), hence async.
/// Thread-safe: one instance signs concurrently for many requests.
/// </summary>
public interface ICertificateSigner
{
    /// <summary>The DER SubjectPublicKeyInfo of the key (RFC 5280 §4.1.2.7).</summary>
    ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>The key algorithm family.</summary>
    KeyAlgorithm Algorithm { get; }

    /// <summary>
    /// The DER AlgorithmIdentifier this signer produces for X.509 (RFC 5280 §4.1.1.2), e.g.
    /// ecdsa-with-SHA256 for a P-256 key, sha256WithRSAEncryption for RSA, id-Ed25519.
    /// </summary>
    ReadOnlyMemory<byte> SignatureAlgorithmIdentifier { get; }

    /// <summary>
    /// Signs <paramref name="data"/> (not a digest) as X.509 expects: ECDSA as a DER
    /// <c>Ecdsa-Sig-Value</c> (RFC 3279 §2.2.3), RSA PKCS#1 v1.5, Ed25519 raw 64 bytes.
    /// </summary>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
