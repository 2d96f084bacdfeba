using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;

namespace Smallstep.Pki.Kms.Soft.Encryption;

/// <summary>
/// PKCS#8 <c>EncryptedPrivateKeyInfo</c> (RFC 5958 §3) with PBES2 + PBKDF2 (RFC 8018 §6.2, §5.2,
/// A.2, A.4), the form step writes for Ed25519 keys (go.step.sm/crypto <c>pemutil/pkcs8.go</c>).
/// PBES2 is handled here so that passwords are UTF-8 encoded like OpenSSL and Go do; the older
/// PBES1 / PKCS#12 schemes are left to BouncyCastle.
/// </summary>
internal static class Pkcs8Encryption
{
    private const string Pbes2Oid = "1.2.840.113549.1.5.13";
    private const string Pbkdf2Oid = "1.2.840.113549.1.5.12";
    private const string HmacWithSha1Oid = "1.2.840.113549.2.7";
    private const string HmacWithSha256Oid = "1.2.840.113549.2.9";
    private const int SaltLength = 16;
    private const int MaxIterations = 10_000_000;
    private const int MaxSaltLength = 1024;

    private static readonly Dictionary<string, HashAlgorithmName> Prfs = new()
    {
        [HmacWithSha1Oid] = HashAlgorithmName.SHA1,
        [HmacWithSha256Oid] = HashAlgorithmName.SHA256,
        ["1.2.840.113549.2.10"] = HashAlgorithmName.SHA384,
        ["1.2.840.113549.2.11"] = HashAlgorithmName.SHA512,
    };

    /// <summary>Returns the decrypted PKCS#8 <c>PrivateKeyInfo</c>.</summary>
    public static byte[] Decrypt(byte[] encryptedPrivateKeyInfo, string password)
    {
        var outer = new AsnReader(encryptedPrivateKeyInfo, AsnEncodingRules.BER);
        var info = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var algorithm = info.ReadSequence();
        var schemeOid = algorithm.ReadObjectIdentifier();
        if (schemeOid != Pbes2Oid)
        {
            return DecryptWithBouncyCastle(encryptedPrivateKeyInfo, password, schemeOid);
        }

        var pbes2 = algorithm.ReadSequence();
        algorithm.ThrowIfNotEmpty();
        var kdf = pbes2.ReadSequence();
        var kdfOid = kdf.ReadObjectIdentifier();
        if (kdfOid != Pbkdf2Oid)
        {
            throw new KeyFormatException($"unsupported PBES2 key derivation {kdfOid} (only PBKDF2)");
        }
        var kdfParameters = kdf.ReadSequence();
        var salt = kdfParameters.ReadOctetString();
        if (!kdfParameters.TryReadInt32(out var iterations) || iterations < 1 || iterations > MaxIterations || salt.Length > MaxSaltLength)
        {
            throw new KeyFormatException($"PBKDF2 iteration count or salt out of range (1..{MaxIterations} iterations)");
        }
        int? keyLength = null;
        if (kdfParameters.HasData && kdfParameters.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            keyLength = kdfParameters.TryReadInt32(out var length) ? length : -1;
        }
        var prf = HashAlgorithmName.SHA1; // RFC 8018 A.2: prf DEFAULT algid-hmacWithSHA1
        if (kdfParameters.HasData)
        {
            var prfAlgorithm = kdfParameters.ReadSequence();
            var prfOid = prfAlgorithm.ReadObjectIdentifier();
            prf = Prfs.TryGetValue(prfOid, out var hash) ? hash : throw new KeyFormatException($"unsupported PBKDF2 PRF {prfOid}");
        }
        var scheme = pbes2.ReadSequence();
        var cipherOid = scheme.ReadObjectIdentifier();
        var cipher = CbcCipher.FromOid(cipherOid) ?? throw new KeyFormatException($"unsupported PBES2 cipher {cipherOid}");
        var iv = scheme.ReadOctetString();
        var encrypted = info.ReadOctetString();
        if (keyLength is { } expected && expected != cipher.KeySize)
        {
            throw new KeyFormatException($"PBKDF2 key length {expected} does not fit {cipher.PemName}");
        }

        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, prf, cipher.KeySize);
        try
        {
            return cipher.Decrypt(key, iv, encrypted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Encrypts a <c>PrivateKeyInfo</c> as step does: PBES2, PBKDF2-HMAC-SHA256 with a 16-byte salt,
    /// AES-256-CBC (pemutil <c>EncryptPKCS8PrivateKey</c>; 600000 iterations since crypto 2023-05).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> privateKeyInfo, string password, int iterations)
    {
        var cipher = CbcCipher.Aes256;
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var iv = RandomNumberGenerator.GetBytes(cipher.BlockSize);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, cipher.KeySize);
        byte[] encrypted;
        try
        {
            encrypted = cipher.Encrypt(key, iv, privateKeyInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Pbes2Oid);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Pbkdf2Oid);
                        using (writer.PushSequence())
                        {
                            writer.WriteOctetString(salt);
                            writer.WriteInteger(iterations);
                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier(HmacWithSha256Oid);
                                writer.WriteNull();
                            }
                        }
                    }
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(cipher.Oid);
                        writer.WriteOctetString(iv);
                    }
                }
            }
            writer.WriteOctetString(encrypted);
        }
        return writer.Encode();
    }

    /// <summary>
    /// PBES1 and PKCS#12 password-based schemes (RFC 8018 §6.1, RFC 7292 App. C), which OpenSSL
    /// writes with <c>-v1</c>. step does not read them; BouncyCastle does.
    /// </summary>
    private static byte[] DecryptWithBouncyCastle(byte[] encryptedPrivateKeyInfo, string password, string schemeOid)
    {
        try
        {
            var info = EncryptedPrivateKeyInfo.GetInstance(encryptedPrivateKeyInfo);
            return PrivateKeyInfoFactory.CreatePrivateKeyInfo(password.ToCharArray(), info).GetDerEncoded();
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            throw KeyFormatException.IncorrectPassword(e);
        }
        catch (Exception e) when (e is Org.BouncyCastle.Crypto.CryptoException or Org.BouncyCastle.Security.SecurityUtilityException
            or IOException or ArgumentException or InvalidOperationException or OverflowException or InvalidCastException)
        {
            throw new KeyFormatException($"cannot decrypt PKCS#8 key encrypted with {schemeOid}: {e.Message}", e);
        }
    }
}
