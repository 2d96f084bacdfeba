using System.Formats.Asn1;
using System.Text;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// Formats an X.501 Name as an RFC 4514 string, as Go's <c>pkix.Name.String()</c> and
/// <c>openssl -nameopt RFC2253</c> print it: RDNs last-to-first separated by <c>,</c>, multi-valued RDNs
/// joined by <c>+</c>, the usual short attribute names, other attributes as <c>OID=#hex</c> (§2.4),
/// and special characters escaped with a backslash. Thread-safe (stateless).
/// </summary>
public static class DistinguishedNameText
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.5"] = "SERIALNUMBER",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.17"] = "POSTALCODE",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    /// <summary>The RFC 4514 text of a DER Name.</summary>
    /// <exception cref="FormatException">Not a DER Name.</exception>
    public static string Format(ReadOnlyMemory<byte> name)
    {
        try
        {
            var rdns = new List<string>();
            var sequence = new AsnReader(name, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var set = sequence.ReadSetOf();
                var attributes = new List<string>();
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    var oid = attribute.ReadObjectIdentifier();
                    var value = attribute.ReadEncodedValue();
                    attributes.Add(ShortNames.TryGetValue(oid, out var shortName) && TryReadString(value, out var text)
                        ? shortName + "=" + Escape(text)
                        : oid + "=#" + Convert.ToHexStringLower(value.Span));
                }
                rdns.Add(string.Join('+', attributes));
            }
            rdns.Reverse();
            return string.Join(',', rdns);
        }
        catch (AsnContentException ex)
        {
            throw new FormatException($"malformed distinguished name: {ex.Message}", ex);
        }
    }

    // False for a value that is not a string type, or not a valid one (e.g. a BMPString holding a
    // lone surrogate): it is then printed as #hex rather than making the whole name unreadable.
    private static bool TryReadString(ReadOnlyMemory<byte> value, out string text)
    {
        try
        {
            return TryReadValidString(value, out text);
        }
        catch (AsnContentException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool TryReadValidString(ReadOnlyMemory<byte> value, out string text)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var tag = reader.PeekTag();
        text = string.Empty;
        if (tag.TagClass != TagClass.Universal)
        {
            return false;
        }
        switch ((UniversalTagNumber)tag.TagValue)
        {
            case UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String
                or UniversalTagNumber.BMPString or UniversalTagNumber.NumericString or UniversalTagNumber.VisibleString:
                text = reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                return true;
            case UniversalTagNumber.TeletexString:
                // T.61 in practice holds Latin-1 (RFC 5280 §4.1.2.4 deprecates it).
                text = Encoding.Latin1.GetString(reader.ReadOctetString(new Asn1Tag(UniversalTagNumber.TeletexString)));
                return true;
            default:
                return false;
        }
    }

    // RFC 4514 §2.4: escape " + , ; < > \ and NUL, a leading space or #, and a trailing space.
    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '"' or '+' or ',' or ';' or '<' or '>' or '\\'
                || (i == 0 && c is ' ' or '#')
                || (i == value.Length - 1 && c == ' '))
            {
                text.Append('\\').Append(c);
            }
            else if (c == '\0')
            {
                text.Append("\\00");
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
