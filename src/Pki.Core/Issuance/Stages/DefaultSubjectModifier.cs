using Smallstep.Pki.Configuration;
using Smallstep.Pki.Provisioning;

namespace Smallstep.Pki.Issuance.Stages;

/// <summary>
/// ca.json <c>authority.template</c>: subject attributes the rendered certificate left empty are
/// filled from the authority defaults (authority/tls.go <c>withDefaultASN1DN</c>). Runs after the
/// template, before the provisioner's modifiers.
/// </summary>
public sealed class DefaultSubjectModifier(SubjectDefaultsConfig defaults) : ICertificateModifier<X509CertificateDescription>
{
    /// <inheritdoc />
    public X509CertificateDescription Modify(X509CertificateDescription certificate, IssuanceContext context)
    {
        if (certificate.RawSubject is not null)
        {
            return certificate; // renewals keep the subject bytes they had
        }
        var s = certificate.Subject;
        certificate.Subject = s with
        {
            Country = Fill(s.Country, defaults.Country),
            Organization = Fill(s.Organization, defaults.Organization),
            OrganizationalUnit = Fill(s.OrganizationalUnit, defaults.OrganizationalUnit),
            Locality = Fill(s.Locality, defaults.Locality),
            Province = Fill(s.Province, defaults.Province),
            StreetAddress = Fill(s.StreetAddress, defaults.StreetAddress),
            SerialNumber = s.SerialNumber.Length == 0 ? defaults.SerialNumber ?? "" : s.SerialNumber,
            CommonName = s.CommonName.Length == 0 ? defaults.CommonName ?? "" : s.CommonName,
        };
        return certificate;
    }

    private static IReadOnlyList<string> Fill(IReadOnlyList<string> current, string? fallback) =>
        current.Count == 0 && !string.IsNullOrEmpty(fallback) ? [fallback] : current;
}
