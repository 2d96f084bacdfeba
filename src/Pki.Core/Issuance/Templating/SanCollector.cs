using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>
/// Gathers a template's names: the plain lists and the typed <c>sans</c>. The basic types become
/// <see cref="SubjectAlternativeNames"/> (x509util <c>SubjectAlternativeName.Set</c>: empty values
/// skipped, an unparsable IP dropped); with extended types the whole extension is encoded here
/// (x509util <c>createSubjectAltNameExtension</c>: the lists first, then every typed SAN in order).
/// </summary>
internal sealed class SanCollector
{
    private static readonly IdnMapping Idna = new() { UseStd3AsciiRules = false, AllowUnassigned = false };
    private readonly List<string> _typedDns = [], _typedEmails = [], _typedUris = [];
    private readonly List<IPAddress> _typedIps = [];

    public List<string> Dns { get; } = [];
    public List<string> Emails { get; } = [];
    public List<IPAddress> Ips { get; } = [];
    public List<string> Uris { get; } = [];

    public void Add(TypedSan san)
    {
        if (san.Value.Length == 0)
        {
            return;
        }
        switch (san.Type.ToLowerInvariant())
        {
            case "dns":
                _typedDns.Add(san.Value);
                break;
            case "email":
                _typedEmails.Add(san.Value);
                break;
            case "ip":
                if (GoIp.TryParse(san.Value, out var ip))
                {
                    _typedIps.Add(ip);
                }
                break;
            case "uri":
                _typedUris.Add(san.Value);
                break;
            case "" or "auto":
                var split = SubjectAlternativeNames.Split([san.Value]);
                _typedDns.AddRange(split.DnsNames);
                _typedEmails.AddRange(split.EmailAddresses);
                _typedIps.AddRange(split.IpAddresses);
                _typedUris.AddRange(split.Uris);
                break;
        }
    }

    /// <summary>The names of the basic types, checked to be encodable (RFC 5280: IA5String).</summary>
    public SubjectAlternativeNames ToSans() => new(
        Ia5([.. Dns, .. _typedDns], "dnsNames"),
        Ia5([.. Emails, .. _typedEmails], "emailAddresses"),
        [.. Ips, .. _typedIps],
        Ia5([.. Uris, .. _typedUris], "uris"));

    /// <summary>The full subjectAltName value when extended types are present.</summary>
    public byte[] EncodeAll(IReadOnlyList<TypedSan> typed)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in Dns.Where(n => n.Length > 0))
            {
                GeneralNames.WriteDns(writer, ToAscii(name));
            }
            foreach (var email in Emails.Where(n => n.Length > 0))
            {
                GeneralNames.WriteIa5(writer, 1, Ia5One(email, "emailAddresses"));
            }
            foreach (var ip in Ips)
            {
                GeneralNames.WriteIp(writer, ip);
            }
            foreach (var uri in Uris.Where(n => n.Length > 0))
            {
                GeneralNames.WriteIa5(writer, 6, Ia5One(uri, "uris"));
            }
            foreach (var san in typed.Where(s => s.Value.Length > 0 || s.Asn1Value is not null))
            {
                GeneralNames.Write(writer, san, ToAscii);
            }
        }
        return writer.Encode();
    }

    // x509util SanitizeName: IDNA lookup to ASCII.
    private static string ToAscii(string name)
    {
        try
        {
            return Idna.GetAscii(name);
        }
        catch (ArgumentException)
        {
            throw PkiException.BadRequest($"error applying certificate template: error converting \"{name}\" to ia5: server name contains invalid character");
        }
    }

    private static List<string> Ia5(List<string> values, string field) => CertificateTemplateReader.Ia5(values, field).ToList();

    private static string Ia5One(string value, string field) => CertificateTemplateReader.Ia5([value], field).Single();
}
