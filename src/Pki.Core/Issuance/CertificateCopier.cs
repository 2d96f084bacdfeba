using System.Security.Cryptography.X509Certificates;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// Builds the description of a renewal or rekey from the old certificate, as step-ca does
/// (authority/tls.go <c>Rekey</c>): same raw subject and extensions except the AKI (and the SKI on
/// rekey), same lifetime, starting now − backdate.
/// </summary>
internal static class CertificateCopier
{
    public static X509CertificateDescription ForReissue(X509Certificate2 old, CertificationRequest? rekey, DateTimeOffset now, TimeSpan backdate)
    {
        var spki = rekey?.SubjectPublicKeyInfo ?? old.PublicKey.ExportSubjectPublicKeyInfo();
        var lifetime = old.NotAfter.ToUniversalTime() - old.NotBefore.ToUniversalTime() - backdate;
        var copied = old.Extensions
            .Where(e => e.Oid?.Value != Oids.AuthorityKeyIdentifier && !(rekey is not null && e.Oid?.Value == Oids.SubjectKeyIdentifier))
            .Select(e => new CertificateExtension(e.Oid!.Value!, e.Critical, e.RawData))
            .ToList();
        return new X509CertificateDescription
        {
            RawSubject = old.SubjectName.RawData,
            SubjectPublicKeyInfo = spki,
            PublicKey = rekey?.PublicKey ?? SubjectPublicKey.Decode(spki),
            CopiedExtensions = copied,
            NotBefore = now - backdate,
            NotAfter = now + lifetime,
        };
    }
}
