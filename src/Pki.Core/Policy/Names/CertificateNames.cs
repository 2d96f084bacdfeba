using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance;

namespace Smallstep.Pki.Policy.Names;

/// <summary>
/// The names a certificate description will carry: the subject common name and every SAN of the
/// four types policies understand (DNS, IP, email, URI).
/// </summary>
/// <param name="CommonName">The subject common name; empty when there is none.</param>
/// <param name="Sans">The subject alternative names.</param>
internal sealed record CertificateNames(string CommonName, SubjectAlternativeNames Sans)
{
    /// <summary>
    /// Reads the names of <paramref name="certificate"/> as they will be issued: the common name of
    /// <see cref="X509CertificateDescription.RawSubject"/> when set, else of the subject; the SANs of
    /// <see cref="X509CertificateDescription.Sans"/> plus those of any subjectAltName extension in
    /// the extra or copied extensions (a template or a renewal can supply the extension itself).
    /// </summary>
    /// <remarks>
    /// step-ca does not see SANs at all when a template writes its own subjectAltName extension
    /// (x509util <c>GetCertificate</c> then leaves <c>DNSNames</c> and the others empty); checking
    /// them here refuses what step-ca would let through. Other SAN types (otherName such as
    /// permanentIdentifier, directoryName, registeredID) are not checked, as in step-ca.
    /// </remarks>
    /// <exception cref="PkiException">BadRequest when the raw subject or a SAN extension is not valid DER.</exception>
    public static CertificateNames From(X509CertificateDescription certificate)
    {
        var extensions = certificate.ExtraExtensions.Concat(certificate.CopiedExtensions ?? []).Where(e => e.Oid == Oids.SubjectAltName).ToList();
        var commonName = certificate.RawSubject is { } raw ? Decode(() => DistinguishedName.Decode(raw).CommonName, "subject") : certificate.Subject.CommonName;
        if (extensions.Count == 0)
        {
            return new CertificateNames(commonName, certificate.Sans);
        }
        List<string> dns = [.. certificate.Sans.DnsNames], emails = [.. certificate.Sans.EmailAddresses], uris = [.. certificate.Sans.Uris];
        List<IPAddress> ips = [.. certificate.Sans.IpAddresses];
        foreach (var extension in extensions)
        {
            var sans = Decode(() => SubjectAlternativeNames.Decode(extension.Value), "subjectAltName extension");
            dns.AddRange(sans.DnsNames);
            emails.AddRange(sans.EmailAddresses);
            ips.AddRange(sans.IpAddresses);
            uris.AddRange(sans.Uris);
        }
        return new CertificateNames(commonName, new SubjectAlternativeNames(dns, emails, ips, uris));
    }

    /// <summary>
    /// Splits free-form names (ACME identifiers, SSH principals) by their look, as step's
    /// <c>x509util.SplitSANs</c> does, skipping empty strings as it does.
    /// </summary>
    public static SubjectAlternativeNames Split(IEnumerable<string> names) => SubjectAlternativeNames.Split(names.Where(n => n.Length > 0));

    private static T Decode<T>(Func<T> decode, string what)
    {
        try
        {
            return decode();
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or FormatException or ArgumentException)
        {
            throw PkiException.BadRequest($"invalid {what} in the certificate to be issued", e);
        }
    }
}
