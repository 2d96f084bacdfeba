using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// The SAN types step-ca issues (RFC 5280 §4.2.1.6), kept as lists in request order and encoded
/// in Go's order: DNS names, email addresses, IP addresses, URIs.
/// </summary>
/// <param name="DnsNames">dNSName entries.</param>
/// <param name="EmailAddresses">rfc822Name entries.</param>
/// <param name="IpAddresses">iPAddress entries.</param>
/// <param name="Uris">uniformResourceIdentifier entries.</param>
public sealed record SubjectAlternativeNames(IReadOnlyList<string> DnsNames, IReadOnlyList<string> EmailAddresses, IReadOnlyList<IPAddress> IpAddresses, IReadOnlyList<string> Uris)
{
    private static readonly Asn1Tag EmailTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IpTag = new(TagClass.ContextSpecific, 7);

    /// <summary>No names.</summary>
    public static SubjectAlternativeNames Empty { get; } = new([], [], [], []);

    /// <summary>True when there are no names of any type.</summary>
    public bool IsEmpty => DnsNames.Count == 0 && EmailAddresses.Count == 0 && IpAddresses.Count == 0 && Uris.Count == 0;

    /// <summary>
    /// Splits free-form SAN strings as step does (x509util <c>SplitSANs</c>): an IP literal is an IP,
    /// a string with a URL scheme is a URI, one with <c>@</c> an email, anything else a DNS name.
    /// </summary>
    public static SubjectAlternativeNames Split(IEnumerable<string> sans)
    {
        List<string> dns = [], emails = [], uris = [];
        List<IPAddress> ips = [];
        foreach (var san in sans)
        {
            if (GoIp.TryParse(san, out var ip))
            {
                ips.Add(ip);
            }
            else if (HasUrlScheme(san))
            {
                uris.Add(san);
            }
            else if (san.Contains('@'))
            {
                emails.Add(san);
            }
            else
            {
                dns.Add(san);
            }
        }
        return new SubjectAlternativeNames(dns, emails, ips, uris);
    }

    /// <summary>Decodes a GeneralNames extension value, keeping the four supported types.</summary>
    internal static SubjectAlternativeNames Decode(ReadOnlyMemory<byte> value)
    {
        List<string> dns = [], emails = [], uris = [];
        List<IPAddress> ips = [];
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(DnsTag))
            {
                dns.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, DnsTag));
            }
            else if (tag.HasSameClassAndValue(EmailTag))
            {
                emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, EmailTag));
            }
            else if (tag.HasSameClassAndValue(UriTag))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
            }
            else if (tag.HasSameClassAndValue(IpTag))
            {
                var bytes = names.ReadOctetString(IpTag);
                if (bytes.Length is not (4 or 16))
                {
                    throw new FormatException("invalid IP address length in SAN");
                }
                ips.Add(new IPAddress(bytes));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
        return new SubjectAlternativeNames(dns, emails, ips, uris);
    }

    /// <summary>Encodes the GeneralNames extension value (IPv4 as 4 bytes, as Go does).</summary>
    internal byte[] Encode()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var name in DnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, name, DnsTag);
            }
            foreach (var email in EmailAddresses)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, email, EmailTag);
            }
            foreach (var ip in IpAddresses)
            {
                var bytes = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().GetAddressBytes() : ip.GetAddressBytes();
                writer.WriteOctetString(bytes, IpTag);
            }
            foreach (var uri in Uris)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
            }
        }
        return writer.Encode();
    }

    // Go's url.Parse getScheme: a letter, then letters, digits, '+', '-' or '.', up to ':'.
    private static bool HasUrlScheme(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }
            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return false;
                }
                continue;
            }
            return c == ':' && i > 0 && !value.Any(char.IsControl);
        }
        return false;
    }
}

/// <summary>IP literal parsing with Go's <c>net.ParseIP</c> strictness (no zones, no short forms).</summary>
internal static class GoIp
{
    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text) || text.Contains('%') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }
        // .NET accepts "1", "1.2" and hex parts for IPv4; Go requires four decimal octets.
        if (parsed.AddressFamily == AddressFamily.InterNetwork && (text.Count(c => c == '.') != 3 || !text.All(c => char.IsAsciiDigit(c) || c == '.')))
        {
            return false;
        }
        address = parsed;
        return true;
    }
}
