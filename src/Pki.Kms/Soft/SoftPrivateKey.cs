using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// A private key held in process memory: read with <see cref="PemPrivateKeyReader"/>, made with
/// <see cref="Generate"/>, saved with <see cref="EncryptedPemWriter"/>. Thread-safe. Disposing it
/// releases the native key objects behind <see cref="Signer"/>.
/// </summary>
public sealed class SoftPrivateKey : IDisposable
{
    private int _disposed;

    internal SoftPrivateKey(SoftSigner signer) => Implementation = signer;

    /// <summary>The key type.</summary>
    public KeyAlgorithm Algorithm => Implementation.Algorithm;

    /// <summary>The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => Implementation.SubjectPublicKeyInfo;

    /// <summary>
    /// Signs with this key (ECDSA by curve with SHA-256/384/512, RSA PKCS#1 v1.5 SHA-256, Ed25519).
    /// One instance per key, safe for concurrent use; valid until this key is disposed.
    /// </summary>
    public ICertificateSigner Signer => Implementation;

    internal SoftSigner Implementation { get; }

    /// <summary>Generates a new key.</summary>
    /// <param name="algorithm">The key type.</param>
    /// <param name="rsaBits">Modulus size for <see cref="KeyAlgorithm.Rsa"/>: 2048 to 4096, a multiple of 8.</param>
    /// <exception cref="PkiException">Kind BadRequest when the algorithm or size is not supported.</exception>
    public static SoftPrivateKey Generate(KeyAlgorithm algorithm, int rsaBits = 2048) => new(algorithm switch
    {
        { IsEcdsa: true } => EcdsaSoftSigner.Generate(algorithm),
        _ when algorithm == KeyAlgorithm.Ed25519 => Ed25519SoftSigner.Generate(),
        _ when algorithm == KeyAlgorithm.Rsa && rsaBits is >= RsaSoftSigner.MinBits and <= 4096 && rsaBits % 8 == 0 =>
            RsaSoftSigner.Create(System.Security.Cryptography.RSA.Create(rsaBits)),
        _ when algorithm == KeyAlgorithm.Rsa => throw PkiException.BadRequest($"RSA key size {rsaBits} is not supported; use 2048 to 4096 bits, a multiple of 8"),
        _ => throw PkiException.BadRequest($"key algorithm {algorithm} is not supported by softkms"),
    });

    /// <summary>
    /// Decrypts an RSA PKCS#1 v1.5 ciphertext (RFC 8017 §7.2.2), as SCEP needs
    /// (step's softkms <c>CreateDecrypter</c>).
    /// </summary>
    /// <exception cref="PkiException">
    /// Kind BadRequest when this is not an RSA key or the ciphertext does not decrypt.
    /// </exception>
    public byte[] DecryptRsaPkcs1(ReadOnlySpan<byte> ciphertext)
    {
        if (Implementation is not RsaSoftSigner rsa)
        {
            throw PkiException.BadRequest($"cannot decrypt with a {Algorithm} key: decryption needs an RSA key");
        }
        try
        {
            return rsa.Decrypt(ciphertext);
        }
        catch (KeyFormatException e)
        {
            throw PkiException.BadRequest(e.Message, e);
        }
    }

    /// <summary>Releases the native key objects. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Implementation.Dispose();
        }
    }
}
