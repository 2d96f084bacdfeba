using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Tests.Issuance.Templating;

/// <summary>CSRs made with .NET for template tests: a chosen subject and DNS/email/URI SANs.</summary>
internal static class TemplateCsr
{
    public static CertificationRequest Create(string commonName, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                sans.AddDnsName(name);
            }
            request.CertificateExtensions.Add(sans.Build());
        }
        return CertificationRequest.Parse(request.CreateSigningRequest());
    }
}
