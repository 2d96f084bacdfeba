using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Soft.Pem;

/// <summary>
/// The public half of step's softkms <c>GetPublicKey</c>: a file holding a <c>PUBLIC KEY</c> or a
/// <c>CERTIFICATE</c> yields its SubjectPublicKeyInfo without any password.
/// </summary>
internal static class PublicKeyPem
{
    /// <summary>The DER SubjectPublicKeyInfo, or null when the PEM holds something else (a private key).</summary>
    /// <exception cref="PkiException">BadRequest when the PEM or the public key is malformed.</exception>
    public static byte[]? TryReadSubjectPublicKeyInfo(string text, string sourceName)
    {
        try
        {
            var block = PemBlock.ParseSingle(text);
            switch (block.Type)
            {
                case "PUBLIC KEY":
                    PublicKey.CreateFromSubjectPublicKeyInfo(block.Body, out var read);
                    return read == block.Body.Length ? block.Body : throw new KeyFormatException("trailing data after the public key");
                case "CERTIFICATE":
                    using (var certificate = X509CertificateLoader.LoadCertificate(block.Body))
                    {
                        return certificate.PublicKey.ExportSubjectPublicKeyInfo();
                    }
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is KeyFormatException or CryptographicException or AsnContentException)
        {
            throw PkiException.BadRequest($"error reading {sourceName}: {e.Message}", e);
        }
    }
}
