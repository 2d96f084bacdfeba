using System.Security.Cryptography;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Encryption;
using Smallstep.Pki.Kms.Soft.Pem;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// Writes a private key encrypted with a password, byte-for-byte in the layout <c>step ca init</c>
/// writes (go.step.sm/crypto <c>pemutil.Serialize</c> with a password):
/// <list type="bullet">
/// <item>EC: <c>EC PRIVATE KEY</c> (SEC1) and RSA: <c>RSA PRIVATE KEY</c> (PKCS#1), legacy OpenSSL
/// encryption with headers <c>Proc-Type: 4,ENCRYPTED</c> and <c>DEK-Info: AES-256-CBC,&lt;32 lowercase hex&gt;</c>,
/// a blank line, 64-character base64 lines;</item>
/// <item>Ed25519: <c>ENCRYPTED PRIVATE KEY</c>, PKCS#8 PBES2 with PBKDF2-HMAC-SHA256
/// (<see cref="Pkcs8Iterations"/> iterations, 16-byte salt) and AES-256-CBC.</item>
/// </list>
/// <c>openssl ec|rsa|pkey -passin</c> and <see cref="PemPrivateKeyReader"/> read the output.
/// </summary>
public static class EncryptedPemWriter
{
    /// <summary>PBKDF2 iterations for PKCS#8 output (go.step.sm/crypto since 2023-05; older step used 100000).</summary>
    public const int Pkcs8Iterations = 600_000;

    /// <summary>Returns the encrypted PEM text (ending with a newline).</summary>
    /// <param name="key">The key to write.</param>
    /// <param name="password">The password (UTF-8 encoded); must not be empty.</param>
    public static string Write(SoftPrivateKey key, string password)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var signer = key.Implementation;
        var der = signer.ExportPrivateKey();
        try
        {
            var block = key.Algorithm == KeyAlgorithm.Ed25519
                ? new PemBlock("ENCRYPTED PRIVATE KEY", [], Pkcs8Encryption.Encrypt(der, password, Pkcs8Iterations))
                : LegacyPemEncryption.Encrypt(signer.PemType, der, password);
            return block.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }
}
