using System.Formats.Asn1;
using System.Net;

namespace Smallstep.Pki.Storage.Query;

/// <summary>Reads a <c>GeneralNames</c> SEQUENCE (RFC 5280 §4.2.1.6) into plain values.</summary>
internal static class GeneralNames
{
    // GeneralName CHOICE tags (all context-specific, IMPLICIT except directoryName).
    private const int Rfc822Name = 1, DnsName = 2, DirectoryName = 4, UniformResourceIdentifier = 6, IpAddress = 7;

    /// <summary>e-mail addresses, DNS names, URIs and IP addresses as text, directory names as DNs, in
    /// certificate order; <c>otherName</c>, <c>registeredID</c> and the rest are skipped.</summary>
    /// <exception cref="FormatException">Malformed DER.</exception>
    public static IReadOnlyList<string> Read(ReadOnlyMemory<byte> value)
    {
        try
        {
            var names = new List<string>();
            var sequence = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific)
                {
                    throw new FormatException("GeneralName with a non-context-specific tag");
                }
                switch (tag.TagValue)
                {
                    case Rfc822Name or DnsName or UniformResourceIdentifier:
                        names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                        break;
                    case IpAddress:
                        var address = sequence.ReadOctetString(tag);
                        names.Add(address.Length is 4 or 16 ? new IPAddress(address).ToString() : Convert.ToHexString(address));
                        break;
                    case DirectoryName:
                        var name = sequence.ReadSequence(tag).ReadEncodedValue();
                        names.Add(DistinguishedNameText.Format(name));
                        break;
                    default:
                        sequence.ReadEncodedValue();
                        break;
                }
            }
            return names;
        }
        catch (AsnContentException ex)
        {
            throw new FormatException($"malformed subjectAltName: {ex.Message}", ex);
        }
    }
}
