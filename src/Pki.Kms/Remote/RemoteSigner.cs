using System.Security.Cryptography;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// A signer whose private key lives in a remote service (Cloud KMS, Key Vault): the data is hashed
/// here and only the digest is sent, as step's <c>crypto.Signer</c> implementations do (the
/// services sign digests). Thread-safe as long as <see cref="SignDigest"/> is.
/// </summary>
internal sealed class RemoteSigner(RemoteKeyDescription key, Func<byte[], CancellationToken, Task<byte[]>> signDigest) : ICertificateSigner
{
    /// <summary>Signs a digest of <see cref="RemoteKeyDescription.Hash"/>, returning the signature in X.509 form.</summary>
    public Func<byte[], CancellationToken, Task<byte[]>> SignDigest { get; } = signDigest;

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => key.SubjectPublicKeyInfo;

    public KeyAlgorithm Algorithm => key.Algorithm;

    public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => key.SignatureAlgorithmIdentifier;

    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var digest = CryptographicOperations.HashData(key.Hash, data.Span);
        return await SignDigest(digest, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What a signer needs to know about a remote key.</summary>
/// <param name="SubjectPublicKeyInfo">DER SubjectPublicKeyInfo.</param>
/// <param name="Algorithm">The key family the CA sees.</param>
/// <param name="Hash">The digest the service signs.</param>
/// <param name="SignatureAlgorithmIdentifier">The X.509 AlgorithmIdentifier of its signatures.</param>
internal sealed record RemoteKeyDescription(byte[] SubjectPublicKeyInfo, KeyAlgorithm Algorithm, HashAlgorithmName Hash, byte[] SignatureAlgorithmIdentifier);
