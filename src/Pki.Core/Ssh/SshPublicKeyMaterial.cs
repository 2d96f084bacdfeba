using System.Security.Cryptography;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Ssh;

/// <summary>
/// The key inside an <see cref="SshPublicKey"/> as a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7;
/// RFC 8410 §4 for Ed25519), the inverse of <see cref="SshPublicKey.FromSubjectPublicKeyInfo"/>:
/// what platform keys import, e.g. to verify an SSH CA signature or a token signed by a certified
/// key (step-ca's <c>ssh.CryptoPublicKey</c>). Stateless and thread-safe.
/// </summary>
public static class SshPublicKeyMaterial
{
    // RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }.
    private static readonly byte[] Ed25519Prefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    /// <summary>Converts <c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256/384/521</c> and <c>ssh-rsa</c> keys.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The DER SubjectPublicKeyInfo.</returns>
    /// <exception cref="PkiException">BadRequest: a FIDO (<c>sk-</c>) key, which has no plain public-key form.</exception>
    public static byte[] ToSubjectPublicKeyInfo(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // SshPublicKey.Parse has checked the fields, so they are read without re-validation.
        var reader = new SshWireReader(key.Blob.Span);
        reader.ReadString();
        switch (key.Type)
        {
            case "ssh-ed25519":
                return [.. Ed25519Prefix, .. reader.ReadString()];
            case "ecdsa-sha2-nistp256" or "ecdsa-sha2-nistp384" or "ecdsa-sha2-nistp521":
            {
                reader.ReadString();
                var point = reader.ReadString();
                var size = (point.Length - 1) / 2;
                using var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = CurveOf(key.Type),
                    Q = new ECPoint { X = point.Slice(1, size).ToArray(), Y = point.Slice(1 + size, size).ToArray() },
                });
                return ecdsa.ExportSubjectPublicKeyInfo();
            }
            case "ssh-rsa":
            {
                var exponent = reader.ReadPositiveMpint().ToArray();
                var modulus = reader.ReadPositiveMpint().ToArray();
                using var rsa = RSA.Create(new RSAParameters { Exponent = exponent, Modulus = modulus });
                return rsa.ExportSubjectPublicKeyInfo();
            }
            default:
                throw PkiException.BadRequest($"ssh public key type {key.Type} has no plain public key");
        }
    }

    /// <summary>The NIST curve of an <c>ecdsa-sha2-*</c> key type (RFC 5656 §6.1).</summary>
    internal static ECCurve CurveOf(string type) => type switch
    {
        "ecdsa-sha2-nistp256" => ECCurve.NamedCurves.nistP256,
        "ecdsa-sha2-nistp384" => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };
}
