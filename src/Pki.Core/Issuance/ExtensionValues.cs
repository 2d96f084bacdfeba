using System.Formats.Asn1;
using System.Net;
using System.Numerics;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// DER values of the standard extensions (RFC 5280 §4.2), laid out as Go's
/// <c>crypto/x509</c> writes them so our certificates match step-ca's byte for byte.
/// </summary>
internal static class ExtensionValues
{
    private static readonly Asn1Tag KeyIdentifierTag = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);

    // Go writes the minimal BIT STRING: bit 0 is the most significant bit of the first byte.
    public static byte[] KeyUsage(KeyUsageFlags usage)
    {
        var value = (int)usage;
        var bytes = new byte[value > 0xFF ? 2 : 1];
        for (var bit = 0; bit < 9; bit++)
        {
            if ((value & (1 << bit)) != 0)
            {
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }
        var last = bytes[^1];
        var unused = last == 0 ? 0 : BitOperations.TrailingZeroCount(last);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteBitString(bytes, unused);
        return writer.Encode();
    }

    public static byte[] OidSequence(IEnumerable<string> oids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                writer.WriteObjectIdentifier(oid);
            }
        }
        return writer.Encode();
    }

    public static byte[] BasicConstraints(Issuance.BasicConstraints bc)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (bc.IsCa)
            {
                writer.WriteBoolean(true);
                if (bc.MaxPathLength is { } length and >= 0)
                {
                    writer.WriteInteger(length);
                }
            }
        }
        return writer.Encode();
    }

    public static byte[] OctetString(byte[] value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(value);
        return writer.Encode();
    }

    public static byte[] AuthorityKeyId(byte[] keyId)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteOctetString(keyId, KeyIdentifierTag);
        }
        return writer.Encode();
    }

    // RFC 5280 §4.2.2.1: OCSP access descriptions first, then caIssuers (Go's order).
    public static byte[] AuthorityInfoAccess(IEnumerable<string> ocsp, IEnumerable<string> issuers)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var (method, uri) in ocsp.Select(u => (Oids.Ocsp, u)).Concat(issuers.Select(u => (Oids.CaIssuers, u))))
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(method);
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
                }
            }
        }
        return writer.Encode();
    }

    // RFC 5280 §4.2.1.4: PolicyInformation without qualifiers.
    public static byte[] CertificatePolicies(IEnumerable<string> policies)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var policy in policies)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(policy);
                }
            }
        }
        return writer.Encode();
    }

    // RFC 5280 §4.2.1.13: each URI is one DistributionPoint with a fullName.
    public static byte[] CrlDistributionPoints(IEnumerable<string> uris)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var uri in uris)
            {
                using (writer.PushSequence())
                using (writer.PushSequence(Context0))
                using (writer.PushSequence(Context0))
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
                }
            }
        }
        return writer.Encode();
    }

    // RFC 5280 §4.2.1.10, in Go's order inside each subtree list: DNS, IP, email, URI.
    public static byte[] NameConstraints(NameConstraintsDescription constraints)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteSubtrees(writer, Context0, constraints.PermittedDnsDomains, constraints.PermittedIpRanges, constraints.PermittedEmailAddresses, constraints.PermittedUriDomains);
            WriteSubtrees(writer, Context1, constraints.ExcludedDnsDomains, constraints.ExcludedIpRanges, constraints.ExcludedEmailAddresses, constraints.ExcludedUriDomains);
        }
        return writer.Encode();
    }

    private static void WriteSubtrees(AsnWriter writer, Asn1Tag tag, List<string> dns, List<(IPAddress Address, int PrefixLength)> ips, List<string> emails, List<string> uris)
    {
        if (dns.Count + ips.Count + emails.Count + uris.Count == 0)
        {
            return;
        }
        using (writer.PushSequence(tag))
        {
            foreach (var name in dns)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
                }
            }
            foreach (var (address, prefix) in ips)
            {
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(AddressAndMask(address, prefix), new Asn1Tag(TagClass.ContextSpecific, 7));
                }
            }
            foreach (var email in emails)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, email, new Asn1Tag(TagClass.ContextSpecific, 1));
                }
            }
            foreach (var uri in uris)
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
                }
            }
        }
    }

    // RFC 5280 §4.2.1.10: an iPAddress constraint is the address followed by its mask; IPv4 in 4 bytes.
    private static byte[] AddressAndMask(IPAddress address, int prefixLength)
    {
        var bytes = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();
        var result = new byte[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefixLength - i * 8, 0, 8);
            var mask = (byte)(0xFF << (8 - bits));
            result[i] = (byte)(bytes[i] & mask);
            result[bytes.Length + i] = mask;
        }
        return result;
    }
}
