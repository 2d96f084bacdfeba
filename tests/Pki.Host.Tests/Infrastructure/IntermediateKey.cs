using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Tests.Host.Infrastructure;

/// <summary>
/// The CA's intermediate key, decrypted with <c>openssl ec</c> (MANIFEST.md: legacy-encrypted EC
/// PEM), to make certificates the CA itself refuses to issue, e.g. one that has already expired.
/// </summary>
internal static class IntermediateKey
{
    /// <summary>
    /// A leaf for <paramref name="key"/> valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>,
    /// signed by the intermediate, with step-ca's extensions copied from <paramref name="template"/>
    /// (KU, EKU, SAN and the provisioner extension) so only the validity differs from a real leaf.
    /// </summary>
    public static X509Certificate2 Sign(ServedPki pki, ECDsa key, X509Certificate2 template, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var issuerKey = Load(pki);
        var request = new CertificateRequest(template.SubjectName, key, HashAlgorithmName.SHA256);
        foreach (var extension in template.Extensions.Where(e => e.Oid!.Value is not ("2.5.29.14" or "2.5.29.35")))
        {
            request.CertificateExtensions.Add(extension);
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.Intermediate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(pki.Intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, serial);
        return certificate.CopyWithPrivateKey(key);
    }

    private static ECDsa Load(ServedPki pki)
    {
        var pem = ExternalTool.RunChecked("openssl", "ec", "-in", pki.Path("secrets", "intermediate_ca_key"), "-passin", "pass:" + pki.Password);
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }
}
