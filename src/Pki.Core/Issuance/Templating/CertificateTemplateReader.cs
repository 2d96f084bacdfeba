using System.Net;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// Turns a rendered X.509 template (step's certificate JSON model, go.step.sm/crypto x509util
/// <c>Certificate</c>) into a <see cref="X509CertificateDescription"/>. The public key always
/// comes from the request, never from the template. Members are matched as Go's encoding/json
/// does; anything malformed is a 400 that names the member.
/// </summary>
/// <remarks>
/// <c>version</c>, <c>issuer</c> and <c>signatureAlgorithm</c> are read but not used: the issuer
/// and the signature algorithm follow the CA's certificate and key, as in step-ca, where Go's
/// <c>x509.CreateCertificate</c> takes both from the parent.
/// </remarks>
public static class CertificateTemplateReader
{
    private static readonly string[] Fields =
    [
        "version", "subject", "rawSubject", "issuer", "serialNumber", "dnsNames", "emailAddresses", "ipAddresses", "uris", "sans",
        "notBefore", "notAfter", "extensions", "keyUsage", "extKeyUsage", "unknownExtKeyUsage", "subjectKeyId", "authorityKeyId",
        "ocspServer", "issuingCertificateURL", "crlDistributionPoints", "policyIdentifiers", "basicConstraints", "nameConstraints",
        "signatureAlgorithm",
    ];

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    /// <summary>Reads the template output for a request's public key.</summary>
    /// <param name="json">The rendered template.</param>
    /// <param name="subjectPublicKeyInfo">The DER SubjectPublicKeyInfo from the request.</param>
    /// <param name="publicKey">The decoded key.</param>
    /// <exception cref="PkiException">400 when the output is not a valid certificate description.</exception>
    public static X509CertificateDescription Read(string json, ReadOnlyMemory<byte> subjectPublicKeyInfo, SubjectPublicKey publicKey)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException e)
        {
            throw PkiException.BadRequest($"error applying certificate template: the output is not valid JSON (line {e.LineNumber + 1})");
        }
        using (document)
        {
            var o = TemplateJsonObject.Read(document.RootElement, Fields, "certificate");
            var certificate = new X509CertificateDescription { SubjectPublicKeyInfo = subjectPublicKeyInfo, PublicKey = publicKey };
            if (o.Get("subject") is { } subject)
            {
                certificate.Subject = NameReader.Read(subject, "subject");
            }
            certificate.RawSubject = o.Bytes("rawSubject") is { Length: > 0 } raw ? NameReader.CheckDer(raw) : null;
            certificate.SerialNumber = o.Serial("serialNumber") is { } serial
                ? serial.Sign > 0 ? serial : throw PkiException.BadRequest("error applying certificate template: serialNumber must be positive")
                : null;
            ReadNames(o, certificate);
            certificate.NotBefore = o.UtcTime("notBefore") ?? default;
            certificate.NotAfter = o.UtcTime("notAfter") ?? default;
            certificate.ExtraExtensions.AddRange(ReadExtensions(o));
            certificate.KeyUsage = UsageNames.KeyUsage(o.Strings("keyUsage"));
            certificate.ExtendedKeyUsage.AddRange(UsageNames.ExtendedKeyUsage(o.Strings("extKeyUsage")));
            certificate.ExtendedKeyUsage.AddRange(o.Strings("unknownExtKeyUsage").Select(oid => Oid(oid, "unknownExtKeyUsage")));
            certificate.SubjectKeyId = o.Bytes("subjectKeyId") is { Length: > 0 } ski ? ski : null;
            certificate.AuthorityKeyId = o.Bytes("authorityKeyId") is { Length: > 0 } aki ? aki : null;
            certificate.OcspServers.AddRange(Ia5(o.Strings("ocspServer"), "ocspServer"));
            certificate.IssuingCertificateUrls.AddRange(Ia5(o.Strings("issuingCertificateURL"), "issuingCertificateURL"));
            certificate.CrlDistributionPoints.AddRange(Ia5(o.Strings("crlDistributionPoints"), "crlDistributionPoints"));
            certificate.PolicyIdentifiers.AddRange(o.Strings("policyIdentifiers").Select(oid => Oid(oid, "policyIdentifiers")));
            if (o.Get("basicConstraints") is { } basic)
            {
                certificate.BasicConstraints = ReadBasicConstraints(basic);
            }
            if (o.Get("nameConstraints") is { } constraints)
            {
                certificate.NameConstraints = NameConstraintsReader.Read(constraints);
            }
            return certificate;
        }
    }

    // x509util Certificate.GetCertificate: dnsNames/emailAddresses/ipAddresses/uris, then each
    // typed SAN; other SAN types make one full subjectAltName extension placed before the
    // template's extensions (newCertificateWithOptions), unless the template wrote its own.
    private static void ReadNames(GoJsonObject o, X509CertificateDescription certificate)
    {
        var names = new SanCollector();
        names.Dns.AddRange(o.Strings("dnsNames"));
        names.Emails.AddRange(o.Strings("emailAddresses"));
        foreach (var ip in o.Strings("ipAddresses"))
        {
            names.Ips.Add(GoIp.TryParse(ip, out var address) ? address : throw PkiException.BadRequest($"error applying certificate template: ip {ip} is not valid"));
        }
        names.Uris.AddRange(o.Strings("uris"));
        var typed = o.Array("sans").Select((san, i) => TypedSan.Read(san, $"sans[{i}]")).ToList();
        foreach (var san in typed)
        {
            names.Add(san);
        }
        certificate.Sans = names.ToSans();
        if (typed.Any(s => !s.IsBasic) && !certificate.ExtraExtensions.Any(e => e.Oid == Oids.SubjectAltName))
        {
            var critical = certificate.RawSubject is null && certificate.Subject.IsEmpty;
            certificate.ExtraExtensions.Insert(0, new CertificateExtension(Oids.SubjectAltName, critical, names.EncodeAll(typed)));
        }
    }

    private static IEnumerable<CertificateExtension> ReadExtensions(GoJsonObject o)
    {
        var i = 0;
        foreach (var item in o.Array("extensions"))
        {
            var e = TemplateJsonObject.Read(item, ["id", "critical", "value"], $"extensions[{i++}]");
            var id = e.String("id") ?? "";
            if (id.Length == 0)
            {
                continue; // x509util Extension.Set skips an extension without id
            }
            yield return new CertificateExtension(Oid(id, $"{e.Path}.id"), e.Boolean("critical"), e.Bytes("value") ?? []);
        }
    }

    private static BasicConstraints ReadBasicConstraints(JsonElement element)
    {
        var b = TemplateJsonObject.Read(element, ["isCA", "maxPathLen"], "basicConstraints");
        var isCa = b.Boolean("isCA");
        // x509util BasicConstraints.Set: an absent maxPathLen is 0 (a path length of zero is
        // written); negative means no limit.
        var maxPathLen = b.Int64("maxPathLen", 0);
        return new BasicConstraints(isCa, isCa && maxPathLen >= 0 ? (int)Math.Min(maxPathLen, int.MaxValue) : null);
    }

    /// <summary>A dotted OID, checked.</summary>
    internal static string Oid(string text, string path)
    {
        var parts = text.Split('.');
        return parts.Length >= 2 && parts.All(p => p.Length is > 0 and <= 18 && p.All(char.IsAsciiDigit)) && parts[0] is "0" or "1" or "2"
            ? text
            : throw PkiException.BadRequest($"error applying certificate template: {path}: {text} is not an ASN1 object identifier");
    }

    /// <summary>Strings that must be IA5 (RFC 5280 URIs and names are ASCII).</summary>
    internal static IEnumerable<string> Ia5(IEnumerable<string> values, string path) =>
        values.Select(v => v.All(char.IsAscii) ? v : throw PkiException.BadRequest($"error applying certificate template: {path}: \"{v}\" cannot be encoded as an IA5String"));
}
