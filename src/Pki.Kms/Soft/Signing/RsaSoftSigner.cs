using System.Security.Cryptography;
using Smallstep.Pki.Keys;

namespace Smallstep.Pki.Kms.Soft.Signing;

/// <summary>
/// RSA through <see cref="RSA"/> (OpenSSL underneath): PKCS#1 v1.5 signatures with SHA-256
/// (RFC 8017 §8.2) and PKCS#1 v1.5 decryption (RFC 8017 §7.2) for SCEP.
/// </summary>
internal sealed class RsaSoftSigner : SoftSigner
{
    /// <summary>Smallest modulus accepted; step's keyutil refuses shorter CA keys too.</summary>
    public const int MinBits = 2048;

    /// <summary>Largest modulus accepted when reading a key.</summary>
    public const int MaxBits = 8192;

    private readonly KeyPool<RSA> _pool;
    private readonly byte[] _spki;
    private RSAParameters _parameters;

    private RsaSoftSigner(RSA key)
    {
        KeySizeInBytes = key.KeySize / 8;
        _spki = key.ExportSubjectPublicKeyInfo();
        _parameters = key.ExportParameters(includePrivateParameters: true);
        _pool = new KeyPool<RSA>(key, () => RSA.Create(_parameters));
    }

    public override KeyAlgorithm Algorithm => KeyAlgorithm.Rsa;

    public override ReadOnlyMemory<byte> SubjectPublicKeyInfo => _spki;

    public override ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => SignatureAlgorithmIdentifiers.Sha256WithRsaEncryption;

    public override string PemType => "RSA PRIVATE KEY";

    private int KeySizeInBytes { get; }

    /// <summary>Takes ownership of <paramref name="key"/> after checking its size.</summary>
    public static RsaSoftSigner Create(RSA key)
    {
        if (key.KeySize is < MinBits or > MaxBits)
        {
            var bits = key.KeySize;
            key.Dispose();
            throw new KeyFormatException($"RSA key has {bits} bits; softkms accepts {MinBits} to {MaxBits} bits");
        }
        return new RsaSoftSigner(key);
    }

    protected override byte[] Sign(ReadOnlySpan<byte> data)
    {
        using var lease = _pool.Rent();
        return lease.Key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>PKCS#1 v1.5 decryption; a malformed ciphertext is the caller's (client's) error.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length != KeySizeInBytes)
        {
            throw new KeyFormatException($"RSA ciphertext must be {KeySizeInBytes} bytes, got {ciphertext.Length}");
        }
        using var lease = _pool.Rent();
        try
        {
            return lease.Key.Decrypt(ciphertext, RSAEncryptionPadding.Pkcs1);
        }
        catch (CryptographicException e)
        {
            throw new KeyFormatException("RSA decryption failed", e);
        }
    }

    public override byte[] ExportPrivateKey()
    {
        using var lease = _pool.Rent();
        return lease.Key.ExportRSAPrivateKey();
    }

    protected override void DisposeKey()
    {
        _pool.Dispose();
        foreach (var secret in new[] { _parameters.D, _parameters.P, _parameters.Q, _parameters.DP, _parameters.DQ, _parameters.InverseQ })
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
