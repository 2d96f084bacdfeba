using System.Security.Cryptography;

namespace Smallstep.Pki.Kms.Soft.Encryption;

/// <summary>
/// A block cipher in CBC mode with PKCS#7 padding, as used by legacy PEM encryption
/// (RFC 1423 §1.1, Go <c>crypto/x509/pem_decrypt.go</c>) and by PBES2 (RFC 8018 §6.2, B.2).
/// Named both by its OpenSSL <c>DEK-Info</c> name and by its ASN.1 OID.
/// </summary>
internal sealed class CbcCipher
{
    private readonly Func<SymmetricAlgorithm> _create;

    private CbcCipher(string pemName, string oid, int keySize, int blockSize, Func<SymmetricAlgorithm> create)
    {
        PemName = pemName;
        Oid = oid;
        KeySize = keySize;
        BlockSize = blockSize;
        _create = create;
    }

    /// <summary>AES-256-CBC, what step writes (aes256-CBC, RFC 3565 §4.1).</summary>
    public static CbcCipher Aes256 { get; } = new("AES-256-CBC", "2.16.840.1.101.3.4.1.42", 32, 16, Aes.Create);

    /// <summary>Every cipher the reader accepts; the set Go's pemutil accepts.</summary>
    public static IReadOnlyList<CbcCipher> All { get; } =
    [
        new("AES-128-CBC", "2.16.840.1.101.3.4.1.2", 16, 16, Aes.Create),
        new("AES-192-CBC", "2.16.840.1.101.3.4.1.22", 24, 16, Aes.Create),
        Aes256,
        new("DES-EDE3-CBC", "1.2.840.113549.3.7", 24, 8, TripleDES.Create),
        new("DES-CBC", "1.3.14.3.2.7", 8, 8, DES.Create),
    ];

    /// <summary>The OpenSSL name used in a <c>DEK-Info</c> header.</summary>
    public string PemName { get; }

    /// <summary>The ASN.1 OID used in a PBES2 <c>encryptionScheme</c>.</summary>
    public string Oid { get; }

    /// <summary>Key length in bytes.</summary>
    public int KeySize { get; }

    /// <summary>Block (and IV) length in bytes.</summary>
    public int BlockSize { get; }

    public static CbcCipher? FromPemName(string name) => All.FirstOrDefault(c => c.PemName == name);

    public static CbcCipher? FromOid(string oid) => All.FirstOrDefault(c => c.Oid == oid);

    public byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        using var algorithm = Create(key);
        return algorithm.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    /// <summary>
    /// Decrypts and strips the padding. A bad padding almost always means a wrong password
    /// (RFC 1423 gives no other integrity check), so it is reported as such.
    /// </summary>
    public byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        if (iv.Length != BlockSize)
        {
            throw new KeyFormatException($"{PemName} needs a {BlockSize}-byte IV, got {iv.Length} bytes");
        }
        if (ciphertext.IsEmpty || ciphertext.Length % BlockSize != 0)
        {
            throw new KeyFormatException($"encrypted data is not a whole number of {PemName} blocks (truncated?)");
        }
        using var algorithm = Create(key);
        var plain = algorithm.DecryptCbc(ciphertext, iv, PaddingMode.None);
        var pad = plain[^1];
        if (pad == 0 || pad > BlockSize || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
        {
            CryptographicOperations.ZeroMemory(plain);
            throw KeyFormatException.IncorrectPassword();
        }
        var result = plain[..^pad];
        CryptographicOperations.ZeroMemory(plain);
        return result;
    }

    private SymmetricAlgorithm Create(ReadOnlySpan<byte> key)
    {
        var algorithm = _create();
        try
        {
            algorithm.Key = key.ToArray();
            return algorithm;
        }
        catch (CryptographicException e)
        {
            // 3DES/DES refuse "weak" keys; a derived key is only weak with a wrong password.
            algorithm.Dispose();
            throw KeyFormatException.IncorrectPassword(e);
        }
    }
}
