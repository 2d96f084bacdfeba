namespace Smallstep.Pki.Keys;

/// <summary>
/// Gives access to keys addressed by URI (<c>softkms:</c>, <c>pkcs11:</c>, ... or a plain file
/// path for softkms), after step's <c>kms/apiv1</c> KeyManager. Thread-safe.
/// </summary>
/// <remarks>
/// A key manager may hold sessions (an HSM login, a cloud client); <see cref="IAsyncDisposable.DisposeAsync"/>
/// releases them (step's <c>KeyManager.Close</c>). The authority creates one instance per
/// configuration generation through its <see cref="KeyManagerRegistration"/> and disposes it only
/// once no request of that generation is running, so signers it handed out are never used after
/// it is disposed. The default implementation releases nothing.
/// </remarks>
public interface IKeyManager : IAsyncDisposable
{
    /// <summary>Returns the DER SubjectPublicKeyInfo of the key named by <paramref name="keyUri"/>.</summary>
    ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default);

    /// <summary>Creates a new key and returns where it lives and its public key.</summary>
    ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Opens a signer for the key named by <paramref name="keyUri"/>.</summary>
    ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default);

    /// <summary>Releases sessions; signers from this manager must not be used afterwards. Idempotent.</summary>
    ValueTask IAsyncDisposable.DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Optional capability: RSA decryption with a managed key (SCEP needs it).</summary>
public interface IKeyDecrypter
{
    /// <summary>Decrypts an RSA PKCS#1 v1.5 ciphertext with the key named by <paramref name="keyUri"/>.</summary>
    ValueTask<byte[]> DecryptAsync(string keyUri, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken = default);
}

/// <summary>What key to create.</summary>
/// <param name="Name">Where to create it (a file path for softkms, a label/URI for others).</param>
/// <param name="Algorithm">The key type.</param>
/// <param name="RsaBits">RSA modulus size when <paramref name="Algorithm"/> is RSA (2048-4096).</param>
public sealed record CreateKeyRequest(string Name, KeyAlgorithm Algorithm, int RsaBits = 2048);

/// <summary>A key that was created.</summary>
/// <param name="KeyUri">The URI to pass to <see cref="IKeyManager.GetSignerAsync"/>.</param>
/// <param name="SubjectPublicKeyInfo">The DER SubjectPublicKeyInfo.</param>
public sealed record CreatedKey(string KeyUri, ReadOnlyMemory<byte> SubjectPublicKeyInfo);
