using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Provisioners.Jose;

/// <summary>
/// A JWK provisioner's <c>encryptedKey</c>: the private JWK in a password-protected compact JWE
/// (RFC 7516 §7.1) with <c>PBES2-HS256+A128KW</c> key wrapping (RFC 7518 §4.8) and <c>A256GCM</c>
/// content encryption (RFC 7518 §5.3), as go.step.sm/crypto <c>jose/encrypt.go</c> <c>EncryptJWK</c>
/// writes it. Decryption also accepts the HS384+A192KW/HS512+A256KW and A128GCM/A192GCM variants.
/// </summary>
public static class EncryptedKey
{
    /// <summary>The PBKDF2 iteration count step writes today (go.step.sm/crypto <c>PBKDF2Iterations</c>); older keys have 100000.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The largest <c>p2c</c> accepted, as in go-jose v3.0.5 (an attacker-chosen count must not burn CPU).</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>The smallest count <see cref="Encrypt(JsonWebKey, ReadOnlySpan{byte}, int)"/> writes (RFC 7518 §4.8.1.2 recommends at least 1000).</summary>
    public const int MinEncryptIterations = 1000;

    /// <summary>Largest JWE accepted, in characters.</summary>
    public const int MaxLength = 64 * 1024;

    private const string DefaultAlgorithm = "PBES2-HS256+A128KW";
    private const string DefaultEncryption = "A256GCM";
    private const int SaltSize = 16;
    private const int IvSize = 12;
    private const int TagSize = 16;

    /// <summary>Decrypts with a UTF-8 password and parses the private JWK.</summary>
    /// <exception cref="PkiException">BadRequest when the JWE or the JWK is malformed; Unauthorized when the password is wrong.</exception>
    public static JsonWebKey Decrypt(string jwe, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Decrypt(jwe, Encoding.UTF8.GetBytes(password));
    }

    /// <summary>Decrypts with a password and parses the private JWK.</summary>
    /// <exception cref="PkiException">BadRequest when the JWE or the JWK is malformed; Unauthorized when the password is wrong.</exception>
    public static JsonWebKey Decrypt(string jwe, ReadOnlySpan<byte> password)
    {
        var plaintext = DecryptPayload(jwe, password);
        try
        {
            var jwk = JsonWebKey.Parse(plaintext);
            return jwk.HasPrivateKey ? jwk : throw Invalid("the encrypted JWK has no private key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Encrypts a private JWK (serialized by <see cref="JsonWebKey.ToJson"/>) with a fresh 16-byte salt, random
    /// CEK and IV, producing step's header <c>{"alg":"PBES2-HS256+A128KW","cty":"jwk+json","enc":"A256GCM","p2c":…,"p2s":"…"}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is public, or the iteration count is out of range.</exception>
    public static string Encrypt(JsonWebKey privateKey, string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Encrypt(privateKey, Encoding.UTF8.GetBytes(password), iterations);
    }

    /// <inheritdoc cref="Encrypt(JsonWebKey, string, int)"/>
    public static string Encrypt(JsonWebKey privateKey, ReadOnlySpan<byte> password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (!privateKey.HasPrivateKey)
        {
            throw new ArgumentException("only a private JWK needs encrypting", nameof(privateKey));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinEncryptIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);

        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        // go-jose writes the protected header from a map, so its members come out sorted.
        var header = Base64UrlCodec.Encode(JoseJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("alg", DefaultAlgorithm);
            w.WriteString("cty", "jwk+json");
            w.WriteString("enc", DefaultEncryption);
            w.WriteNumber("p2c", iterations);
            w.WriteString("p2s", Base64UrlCodec.Encode(salt));
            w.WriteEndObject();
        }));
        var cek = RandomNumberGenerator.GetBytes(32);
        var kek = DeriveKek(DefaultAlgorithm, password, salt, iterations);
        var wrapped = KeyWrap(kek, cek, wrap: true);
        var iv = RandomNumberGenerator.GetBytes(IvSize);
        var plaintext = privateKey.ToUtf8Json();
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var gcm = new AesGcm(cek, TagSize))
        {
            // RFC 7516 §5.1 step 14: AAD = ASCII(BASE64URL(UTF8(protected header))).
            gcm.Encrypt(iv, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(header));
        }
        CryptographicOperations.ZeroMemory(plaintext);
        CryptographicOperations.ZeroMemory(cek);
        CryptographicOperations.ZeroMemory(kek);
        return string.Join('.', header, Base64UrlCodec.Encode(wrapped), Base64UrlCodec.Encode(iv),
            Base64UrlCodec.Encode(ciphertext), Base64UrlCodec.Encode(tag));
    }

    private static byte[] DecryptPayload(string jwe, ReadOnlySpan<byte> password)
    {
        ArgumentNullException.ThrowIfNull(jwe);
        if (jwe.Length > MaxLength)
        {
            throw Invalid("too large");
        }
        var parts = jwe.Split('.');
        if (parts.Length != 5)
        {
            throw Invalid("a compact JWE must have five parts");
        }
        var decoded = new byte[5][];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!Base64UrlCodec.TryDecode(parts[i], out decoded[i]))
            {
                throw Invalid("a part is not valid base64url");
            }
        }
        var (encryptedKey, iv, ciphertext, tag) = (decoded[1], decoded[2], decoded[3], decoded[4]);
        var header = EncryptedKeyHeader.Read(decoded[0]);
        if (iv.Length != IvSize || tag.Length != TagSize || encryptedKey.Length != header.ContentKeySize + 8)
        {
            throw Invalid("wrong IV, tag or encrypted key length");
        }
        var kek = DeriveKek(header.Algorithm, password, header.Salt, header.Iterations);
        byte[] cek;
        try
        {
            cek = KeyWrap(kek, encryptedKey, wrap: false);
        }
        catch (InvalidCipherTextException)
        {
            throw WrongPassword();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var gcm = new AesGcm(cek, TagSize);
            gcm.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(parts[0]));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw WrongPassword();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cek);
        }
        return plaintext;
    }

    // RFC 7518 §4.8.1.1: PBKDF2 salt = UTF8(alg) || 0x00 || p2s; key length and PRF from the alg.
    private static byte[] DeriveKek(string algorithm, ReadOnlySpan<byte> password, byte[] p2s, int iterations)
    {
        var (hash, keySize) = EncryptedKeyHeader.Pbes2Parameters(algorithm);
        var salt = new byte[algorithm.Length + 1 + p2s.Length];
        Encoding.ASCII.GetBytes(algorithm, salt);
        p2s.CopyTo(salt, algorithm.Length + 1);
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, hash, keySize);
    }

    // RFC 3394 AES key wrap (the "A…KW" of RFC 7518 §4.4); integrity failure throws InvalidCipherTextException.
    private static byte[] KeyWrap(byte[] kek, byte[] input, bool wrap)
    {
        var engine = new AesWrapEngine();
        engine.Init(wrap, new KeyParameter(kek));
        return wrap ? engine.Wrap(input, 0, input.Length) : engine.Unwrap(input, 0, input.Length);
    }

    private static PkiException WrongPassword() => PkiException.Unauthorized("failed to decrypt JWE: invalid password");

    internal static PkiException Invalid(string reason) => PkiException.BadRequest("invalid encrypted key: " + reason);
}
