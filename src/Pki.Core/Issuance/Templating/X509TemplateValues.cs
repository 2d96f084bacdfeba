using System.Formats.Asn1;
using Smallstep.Pki.Templates;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// The values step-ca puts in X.509 template data, shaped as the Go structs templates see
/// (go.step.sm/crypto x509util <c>Subject</c>, <c>SubjectAlternativeName</c>,
/// <c>CertificateRequest</c>): fields by Go name, <c>toJson</c> by JSON name.
/// </summary>
public static class X509TemplateValues
{
    /// <summary><c>.Subject</c>: x509util <c>Subject</c>.</summary>
    /// <param name="name">The subject.</param>
    /// <returns>The struct value.</returns>
    public static TemplateStruct Subject(DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new TemplateStruct("x509util.Subject",
        [
            new("Country", name.Country.ToList<object?>(), "country", OmitEmpty: true),
            new("Organization", name.Organization.ToList<object?>(), "organization", OmitEmpty: true),
            new("OrganizationalUnit", name.OrganizationalUnit.ToList<object?>(), "organizationalUnit", OmitEmpty: true),
            new("Locality", name.Locality.ToList<object?>(), "locality", OmitEmpty: true),
            new("Province", name.Province.ToList<object?>(), "province", OmitEmpty: true),
            new("StreetAddress", name.StreetAddress.ToList<object?>(), "streetAddress", OmitEmpty: true),
            new("PostalCode", name.PostalCode.ToList<object?>(), "postalCode", OmitEmpty: true),
            new("SerialNumber", name.SerialNumber, "serialNumber", OmitEmpty: true),
            new("CommonName", name.CommonName, "commonName", OmitEmpty: true),
            new("ExtraNames", name.ExtraNames.Select(a => (object?)new TemplateStruct("x509util.DistinguishedName",
                [new("Type", a.Type, "type"), new("Value", a.Value, "value")])).ToList(), "extraNames", OmitEmpty: true),
        ]);
    }

    /// <summary>
    /// <c>.SANs</c>: x509util <c>CreateSANs</c> — DNS names, then IPs (canonical text), emails and
    /// URIs, each as <c>{type, value}</c>.
    /// </summary>
    /// <param name="sans">The names.</param>
    /// <returns>The list value.</returns>
    public static List<object?> Sans(SubjectAlternativeNames sans)
    {
        ArgumentNullException.ThrowIfNull(sans);
        return sans.DnsNames.Select(v => San("dns", v))
            .Concat(sans.IpAddresses.Select(ip => San("ip", GoIpText(ip))))
            .Concat(sans.EmailAddresses.Select(v => San("email", v)))
            .Concat(sans.Uris.Select(v => San("uri", v)))
            .ToList<object?>();
    }

    /// <summary><c>.Insecure.CR</c>: x509util <c>CertificateRequest</c> built from the CSR.</summary>
    /// <param name="csr">The request.</param>
    /// <returns>The struct value.</returns>
    public static TemplateStruct CertificateRequest(CertificationRequest csr)
    {
        ArgumentNullException.ThrowIfNull(csr);
        var extensions = csr.Extensions;
        var keyUsage = extensions.FirstOrDefault(e => e.Oid == Oids.KeyUsage) is { } ku ? KeyUsageNames(ku.Value) : null;
        var (known, unknown) = extensions.FirstOrDefault(e => e.Oid == Oids.ExtendedKeyUsage) is { } eku ? UsageNames.Describe(OidList(eku.Value)) : ([], []);
        return new TemplateStruct("*x509util.CertificateRequest",
        [
            new("Version", 0L, "version"),
            new("Subject", Subject(csr.Subject), "subject"),
            new("RawSubject", Convert.ToBase64String(csr.RawSubject.Span), "rawSubject"),
            new("DNSNames", csr.Sans.DnsNames.ToList<object?>(), "dnsNames", NilWhenEmpty: true),
            new("EmailAddresses", csr.Sans.EmailAddresses.ToList<object?>(), "emailAddresses", NilWhenEmpty: true),
            new("IPAddresses", csr.Sans.IpAddresses.Select(ip => (object?)GoIpText(ip)).ToList(), "ipAddresses", NilWhenEmpty: true),
            new("URIs", csr.Sans.Uris.ToList<object?>(), "uris", NilWhenEmpty: true),
            new("SANs", new List<object?>(), "sans", NilWhenEmpty: true),
            new("Extensions", extensions.Select(e => (object?)new TemplateStruct("x509util.Extension",
                [new("ID", e.Oid, "id"), new("Critical", e.Critical, "critical"), new("Value", Convert.ToBase64String(e.Value), "value")])).ToList(), "extensions", NilWhenEmpty: true),
            new("KeyUsage", keyUsage, "keyUsage"),
            new("ExtKeyUsage", known, "extKeyUsage"),
            new("UnknownExtKeyUsage", unknown, "unknownExtKeyUsage", NilWhenEmpty: true),
            new("BasicConstraints", null, "basicConstraints"),
            new("SignatureAlgorithm", csr.SignatureAlgorithmName, "signatureAlgorithm"),
            new("PublicKey", new TemplateTypedValue(GoKeyType(csr.PublicKey.Kind)), null),
        ]);
    }

    /// <summary>
    /// <c>.Insecure.CR</c> for a key without a request (x509util <c>NewCertificateFromX509</c>): the
    /// subject and the key only.
    /// </summary>
    /// <param name="subject">The subject.</param>
    /// <param name="key">The key.</param>
    /// <returns>The struct value.</returns>
    public static TemplateStruct KeyRequest(DistinguishedName subject, SubjectPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(key);
        return new TemplateStruct("*x509util.CertificateRequest",
        [
            new("Version", 0L, "version"),
            new("Subject", Subject(subject), "subject"),
            new("DNSNames", new List<object?>(), "dnsNames", NilWhenEmpty: true),
            new("EmailAddresses", new List<object?>(), "emailAddresses", NilWhenEmpty: true),
            new("IPAddresses", new List<object?>(), "ipAddresses", NilWhenEmpty: true),
            new("URIs", new List<object?>(), "uris", NilWhenEmpty: true),
            new("PublicKey", new TemplateTypedValue(GoKeyType(key.Kind)), null),
        ]);
    }

    private static TemplateStruct San(string type, string value) => new("x509util.SubjectAlternativeName",
        [new("Type", type, "type"), new("Value", value, "value"), new("ASN1Value", null, "asn1Value", OmitEmpty: true)]);

    // net.IP.String: IPv4 (and v4-mapped) dotted, IPv6 in RFC 5952 form.
    private static string GoIpText(System.Net.IPAddress ip) => (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();

    private static string GoKeyType(PublicKeyKind kind) => kind switch
    {
        PublicKeyKind.Rsa => "*rsa.PublicKey",
        PublicKeyKind.Ec => "*ecdsa.PublicKey",
        PublicKeyKind.Ed25519 => "ed25519.PublicKey",
        _ => "<nil>",
    };

    private static List<object?>? KeyUsageNames(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var bits = reader.ReadBitString(out _);
            var flags = 0;
            for (var bit = 0; bit < Math.Min(bits.Length * 8, 9); bit++)
            {
                if ((bits[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    flags |= 1 << bit;
                }
            }
            return flags == 0 ? null : UsageNames.KeyUsageNames((KeyUsageFlags)flags);
        }
        catch (AsnContentException)
        {
            return null; // x509util ignores extensions it cannot parse here
        }
    }

    private static List<string> OidList(byte[] value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            var oids = new List<string>();
            while (reader.HasData)
            {
                oids.Add(reader.ReadObjectIdentifier());
            }
            return oids;
        }
        catch (AsnContentException)
        {
            return [];
        }
    }
}
