using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Issuance;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Provisioners.X5c;

/// <summary>
/// <c>.AuthorizationCrt</c> for templates: the X5C leaf as the Go <c>*x509.Certificate</c> step-ca
/// puts there (x509util <c>SetAuthorizationCertificate</c>), so <c>{{ .AuthorizationCrt.DNSNames }}</c>,
/// <c>{{ .AuthorizationCrt.Subject.CommonName }}</c> or <c>{{ .AuthorizationCrt.SerialNumber }}</c>
/// work as with step-ca. The fields templates use are modelled with Go's names and values; what the
/// data model cannot hold is text: <c>SerialNumber</c> in decimal, <c>NotBefore</c>/<c>NotAfter</c>
/// in RFC 3339, URIs as strings, key ids in base64 (so <c>toJson</c> of the whole certificate is not
/// byte-identical to Go's). Built once per token.
/// </summary>
internal static class AuthorizationCertificateValue
{
    private const int Rfc822Name = 1;
    private const int DnsName = 2;
    private const int Uri = 6;
    private const int IpAddress = 7;

    public static TemplateStruct Of(X509Certificate2 certificate)
    {
        var extensions = certificate.Extensions;
        var constraints = extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var (known, unknown) = ExtendedKeyUsages(extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault());
        var (dns, emails, ips, uris) = Sans(extensions["2.5.29.17"]?.RawData);
        return new TemplateStruct("*x509.Certificate",
        [
            new("Raw", Convert.ToBase64String(certificate.RawData), "Raw"),
            new("Version", (long)certificate.Version, "Version"),
            new("SerialNumber", new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(), "SerialNumber"),
            new("Issuer", Name(certificate.IssuerName), "Issuer"),
            new("Subject", Name(certificate.SubjectName), "Subject"),
            new("NotBefore", certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "NotBefore"),
            new("NotAfter", certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "NotAfter"),
            new("KeyUsage", GoKeyUsage(extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()), "KeyUsage"),
            new("ExtKeyUsage", known, "ExtKeyUsage"),
            new("UnknownExtKeyUsage", unknown, "UnknownExtKeyUsage"),
            new("BasicConstraintsValid", constraints is not null, "BasicConstraintsValid"),
            new("IsCA", constraints?.CertificateAuthority ?? false, "IsCA"),
            new("SubjectKeyId", Base64OrEmpty(extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes), "SubjectKeyId"),
            new("AuthorityKeyId", Base64OrEmpty(extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier), "AuthorityKeyId"),
            new("DNSNames", dns, "DNSNames", NilWhenEmpty: true),
            new("EmailAddresses", emails, "EmailAddresses", NilWhenEmpty: true),
            new("IPAddresses", ips, "IPAddresses", NilWhenEmpty: true),
            new("URIs", uris, "URIs", NilWhenEmpty: true),
            new("PublicKey", new TemplateTypedValue(GoKeyType(certificate.PublicKey.Oid.Value)), null),
        ]);
    }

    // pkix.Name: the attributes by kind, then the rest as ExtraNames (as x509util models a subject).
    private static TemplateStruct Name(X500DistinguishedName name)
    {
        var decoded = DistinguishedName.Decode(name.RawData);
        return new TemplateStruct("pkix.Name",
        [
            new("Country", decoded.Country.ToList<object?>(), "Country", NilWhenEmpty: true),
            new("Organization", decoded.Organization.ToList<object?>(), "Organization", NilWhenEmpty: true),
            new("OrganizationalUnit", decoded.OrganizationalUnit.ToList<object?>(), "OrganizationalUnit", NilWhenEmpty: true),
            new("Locality", decoded.Locality.ToList<object?>(), "Locality", NilWhenEmpty: true),
            new("Province", decoded.Province.ToList<object?>(), "Province", NilWhenEmpty: true),
            new("StreetAddress", decoded.StreetAddress.ToList<object?>(), "StreetAddress", NilWhenEmpty: true),
            new("PostalCode", decoded.PostalCode.ToList<object?>(), "PostalCode", NilWhenEmpty: true),
            new("SerialNumber", decoded.SerialNumber, "SerialNumber"),
            new("CommonName", decoded.CommonName, "CommonName"),
            new("ExtraNames", decoded.ExtraNames.Select(a => (object?)new TemplateStruct("pkix.AttributeTypeAndValue",
                [new("Type", a.Type, "Type"), new("Value", a.Value, "Value")])).ToList(), "ExtraNames", NilWhenEmpty: true),
        ]);
    }

    // Go's x509.KeyUsage bits: digitalSignature = 1 << 0 ... decipherOnly = 1 << 8 (RFC 5280 §4.2.1.3 order).
    private static long GoKeyUsage(X509KeyUsageExtension? usage)
    {
        if (usage is null)
        {
            return 0;
        }
        var flags = usage.KeyUsages;
        ReadOnlySpan<X509KeyUsageFlags> order =
        [
            X509KeyUsageFlags.DigitalSignature, X509KeyUsageFlags.NonRepudiation, X509KeyUsageFlags.KeyEncipherment, X509KeyUsageFlags.DataEncipherment,
            X509KeyUsageFlags.KeyAgreement, X509KeyUsageFlags.KeyCertSign, X509KeyUsageFlags.CrlSign, X509KeyUsageFlags.EncipherOnly, X509KeyUsageFlags.DecipherOnly,
        ];
        long bits = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (flags.HasFlag(order[i]))
            {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    // Go's x509.ExtKeyUsage numbering for the usages it knows; the rest stay dotted OIDs.
    private static (List<object?> Known, List<object?> Unknown) ExtendedKeyUsages(X509EnhancedKeyUsageExtension? usages)
    {
        List<object?> known = [];
        List<object?> unknown = [];
        foreach (var oid in usages?.EnhancedKeyUsages ?? new System.Security.Cryptography.OidCollection())
        {
            long? number = oid.Value switch
            {
                "2.5.29.37.0" => 0,
                "1.3.6.1.5.5.7.3.1" => 1,
                "1.3.6.1.5.5.7.3.2" => 2,
                "1.3.6.1.5.5.7.3.3" => 3,
                "1.3.6.1.5.5.7.3.4" => 4,
                "1.3.6.1.5.5.7.3.5" => 5,
                "1.3.6.1.5.5.7.3.6" => 6,
                "1.3.6.1.5.5.7.3.7" => 7,
                "1.3.6.1.5.5.7.3.8" => 8,
                "1.3.6.1.5.5.7.3.9" => 9,
                _ => null,
            };
            if (number is { } n)
            {
                known.Add(n);
            }
            else
            {
                unknown.Add(oid.Value);
            }
        }
        return (known, unknown);
    }

    // RFC 5280 §4.2.1.6 GeneralNames: the four kinds Go's certificate fields hold; others are skipped.
    private static (List<object?> Dns, List<object?> Emails, List<object?> Ips, List<object?> Uris) Sans(byte[]? extension)
    {
        List<object?> dns = [], emails = [], ips = [], uris = [];
        if (extension is null)
        {
            return (dns, emails, ips, uris);
        }
        try
        {
            var names = new AsnReader(extension, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                switch (tag.TagClass == TagClass.ContextSpecific ? tag.TagValue : -1)
                {
                    case Rfc822Name:
                        emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case DnsName:
                        dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case Uri:
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case IpAddress:
                        var address = names.ReadOctetString(tag);
                        if (address.Length is 4 or 16)
                        {
                            ips.Add(new IPAddress(address).ToString());
                        }
                        break;
                    default:
                        names.ReadEncodedValue();
                        break;
                }
            }
        }
        catch (AsnContentException)
        {
            // The chain verified, so the extension parsed for the platform; a name kind it tolerates
            // and Go's fields cannot hold is left out rather than refusing the token.
        }
        return (dns, emails, ips, uris);
    }

    private static string Base64OrEmpty(ReadOnlyMemory<byte>? bytes) => bytes is { Length: > 0 } b ? Convert.ToBase64String(b.Span) : "";

    private static string GoKeyType(string? algorithmOid) => algorithmOid switch
    {
        "1.2.840.113549.1.1.1" => "*rsa.PublicKey",
        "1.2.840.10045.2.1" => "*ecdsa.PublicKey",
        "1.3.101.112" => "ed25519.PublicKey",
        _ => "<nil>",
    };
}
