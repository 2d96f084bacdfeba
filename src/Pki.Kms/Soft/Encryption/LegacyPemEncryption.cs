using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Smallstep.Pki.Kms.Soft.Pem;

namespace Smallstep.Pki.Kms.Soft.Encryption;

/// <summary>
/// OpenSSL "traditional" PEM encryption (RFC 1423; Go <c>x509.EncryptPEMBlock</c>, which step's
/// <c>pemutil.Serialize</c> uses for EC and RSA CA keys): headers <c>Proc-Type: 4,ENCRYPTED</c> and
/// <c>DEK-Info: &lt;cipher&gt;,&lt;hex IV&gt;</c>; key = <c>EVP_BytesToKey(MD5, salt = IV[0..8], 1 round)</c>.
/// </summary>
internal static class LegacyPemEncryption
{
    public const string ProcTypeHeader = "Proc-Type";
    public const string DekInfoHeader = "DEK-Info";
    public const string EncryptedProcType = "4,ENCRYPTED";
    private const int SaltLength = 8;

    /// <summary>True when the block carries <c>Proc-Type: 4,ENCRYPTED</c>.</summary>
    public static bool IsEncrypted(PemBlock block) =>
        block.Header(ProcTypeHeader) is { } procType && procType == EncryptedProcType;

    /// <summary>Decrypts the body of a block for which <see cref="IsEncrypted"/> is true.</summary>
    public static byte[] Decrypt(PemBlock block, string password)
    {
        var dekInfo = block.Header(DekInfoHeader)
            ?? throw new KeyFormatException("encrypted PEM block has no DEK-Info header");
        var comma = dekInfo.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new KeyFormatException($"malformed DEK-Info header '{dekInfo}': expected '<cipher>,<hex IV>'");
        }
        var name = dekInfo[..comma];
        var cipher = CbcCipher.FromPemName(name)
            ?? throw new KeyFormatException($"unsupported DEK-Info cipher '{name}' (supported: {string.Join(", ", CbcCipher.All.Select(c => c.PemName))})");
        byte[] iv;
        try
        {
            iv = Convert.FromHexString(dekInfo.AsSpan(comma + 1));
        }
        catch (FormatException e)
        {
            throw new KeyFormatException("malformed DEK-Info header: the IV is not hexadecimal", e);
        }
        if (iv.Length != cipher.BlockSize)
        {
            throw new KeyFormatException($"malformed DEK-Info header: {cipher.PemName} needs a {cipher.BlockSize}-byte IV, got {iv.Length} bytes");
        }
        var key = DeriveKey(password, iv.AsSpan(0, SaltLength), cipher.KeySize);
        try
        {
            return cipher.Decrypt(key, iv, block.Body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="der"/> with AES-256-CBC and a random IV, exactly as Go's
    /// <c>x509.EncryptPEMBlock(rand, type, der, password, PEMCipherAES256)</c> does.
    /// </summary>
    public static PemBlock Encrypt(string type, ReadOnlySpan<byte> der, string password)
    {
        var cipher = CbcCipher.Aes256;
        var iv = RandomNumberGenerator.GetBytes(cipher.BlockSize);
        var key = DeriveKey(password, iv.AsSpan(0, SaltLength), cipher.KeySize);
        try
        {
            var body = cipher.Encrypt(key, iv, der);
            // Go writes the IV as lowercase hex (hex.EncodeToString), OpenSSL as uppercase; both read either.
            var dekInfo = cipher.PemName + "," + Convert.ToHexString(iv).ToLower(CultureInfo.InvariantCulture);
            return new PemBlock(type, [new(ProcTypeHeader, EncryptedProcType), new(DekInfoHeader, dekInfo)], body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// OpenSSL <c>EVP_BytesToKey</c> with MD5 and one iteration (crypto/evp/evp_key.c):
    /// D1 = MD5(password || salt), Di = MD5(Di-1 || password || salt), key = D1 || D2 || ... truncated.
    /// MD5 is what the format fixes; it is not a choice made here.
    /// </summary>
    internal static byte[] DeriveKey(string password, ReadOnlySpan<byte> salt, int keyLength)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var key = new byte[keyLength];
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        for (var done = 0; done < keyLength; done += digest.Length)
        {
            if (done > 0)
            {
                md5.AppendData(digest);
            }
            md5.AppendData(passwordBytes);
            md5.AppendData(salt);
            md5.GetHashAndReset(digest);
            digest[..Math.Min(digest.Length, keyLength - done)].CopyTo(key.AsSpan(done));
        }
        CryptographicOperations.ZeroMemory(passwordBytes);
        CryptographicOperations.ZeroMemory(digest);
        return key;
    }
}
