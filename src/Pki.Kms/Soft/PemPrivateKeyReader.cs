using System.Formats.Asn1;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Kms.Soft.Encryption;
using Smallstep.Pki.Kms.Soft.Files;
using Smallstep.Pki.Kms.Soft.OpenSsh;
using Smallstep.Pki.Kms.Soft.Pem;
using Smallstep.Pki.Kms.Soft.Signing;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// Reads the private-key files step-ca reads (go.step.sm/crypto <c>pemutil.Parse</c>): one PEM block,
/// <list type="bullet">
/// <item><c>EC PRIVATE KEY</c> (SEC1), <c>RSA PRIVATE KEY</c> (PKCS#1) and <c>PRIVATE KEY</c> (PKCS#8),
/// optionally with legacy OpenSSL encryption (<c>Proc-Type: 4,ENCRYPTED</c>, <c>DEK-Info</c>
/// AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC; RFC 1423) — what <c>step ca init</c> writes;</item>
/// <item><c>ENCRYPTED PRIVATE KEY</c> (PKCS#8 PBES2/PBKDF2 with HMAC-SHA1/256/384/512 and AES/3DES/DES-CBC,
/// plus the PBES1/PKCS#12 schemes BouncyCastle knows);</item>
/// <item>unencrypted <c>OPENSSH PRIVATE KEY</c>.</item>
/// </list>
/// Keys: EC P-256/P-384/P-521, RSA 2048-8192 bits, Ed25519. Passwords are UTF-8 encoded.
/// Every failure is a <see cref="PkiException"/> of kind BadRequest whose message names the
/// source and the reason (a wrong password reads "incorrect password"); garbage never becomes a key.
/// </summary>
public static class PemPrivateKeyReader
{
    /// <summary>Parses PEM text.</summary>
    /// <param name="pem">The PEM text (at most 64 KiB).</param>
    /// <param name="password">The password, needed only when the key is encrypted.</param>
    /// <exception cref="PkiException">Kind BadRequest when the key cannot be read.</exception>
    public static SoftPrivateKey Parse(string pem, string? password = null) => Parse(pem, () => password, "PEM");

    /// <summary>Parses PEM text, asking for the password only if the key is encrypted.</summary>
    /// <param name="pem">The PEM text (at most 64 KiB).</param>
    /// <param name="passwordSource">Called at most once, only for an encrypted key; null means "no password".</param>
    /// <param name="sourceName">Names the key in error messages (e.g. its file name).</param>
    /// <exception cref="PkiException">Kind BadRequest when the key cannot be read.</exception>
    public static SoftPrivateKey Parse(string pem, Func<string?> passwordSource, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(passwordSource);
        ArgumentNullException.ThrowIfNull(sourceName);
        var decrypted = false;
        byte[]? plaintext = null;
        try
        {
            var block = PemBlock.ParseSingle(pem);
            var der = block.Body;
            if (LegacyPemEncryption.IsEncrypted(block))
            {
                der = plaintext = LegacyPemEncryption.Decrypt(block, RequirePassword(passwordSource));
                decrypted = true;
            }
            return new SoftPrivateKey(block.Type switch
            {
                "EC PRIVATE KEY" => PrivateKeyImport.FromSec1(der),
                "RSA PRIVATE KEY" => PrivateKeyImport.FromPkcs1(der),
                "PRIVATE KEY" => PrivateKeyImport.FromPkcs8(der),
                "ENCRYPTED PRIVATE KEY" when !decrypted => DecryptPkcs8(der, passwordSource, out decrypted),
                "OPENSSH PRIVATE KEY" when !decrypted => OpenSshPrivateKey.Parse(der),
                "PUBLIC KEY" or "CERTIFICATE" => throw new KeyFormatException($"holds a {block.Type}, not a private key"),
                _ => throw new KeyFormatException($"unsupported PEM block type '{block.Type}'" + (decrypted ? " with legacy encryption" : "")),
            });
        }
        catch (KeyFormatException e)
        {
            throw PkiException.BadRequest($"error reading {sourceName}: {e.Message}", e);
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            // After decryption, bytes that are not a key mean the password was wrong (the padding
            // check lets about 1 in 256 wrong passwords through, RFC 1423 has no MAC).
            var reason = decrypted ? KeyFormatException.IncorrectPassword().Message : "malformed private key";
            throw PkiException.BadRequest($"error reading {sourceName}: {reason}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Reads a key file (at most 64 KiB).</summary>
    /// <param name="path">The file.</param>
    /// <param name="passwordSource">Called at most once, only for an encrypted key.</param>
    /// <exception cref="PkiException">
    /// Kind NotFound when the file does not exist, Internal when it cannot be read, BadRequest when
    /// it is not a readable key.
    /// </exception>
    public static SoftPrivateKey ReadFile(string path, Func<string?> passwordSource) =>
        Parse(KeyFileText.Read(path), passwordSource, path);

    private static SoftSigner DecryptPkcs8(byte[] encrypted, Func<string?> passwordSource, out bool decrypted)
    {
        var pkcs8 = Pkcs8Encryption.Decrypt(encrypted, RequirePassword(passwordSource));
        decrypted = true;
        try
        {
            return PrivateKeyImport.FromPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static string RequirePassword(Func<string?> passwordSource) =>
        passwordSource() is { Length: > 0 } password
            ? password
            : throw new KeyFormatException("key is password protected and no password was given");
}
