using System.Formats.Asn1;
using Smallstep.Pki.Policy.Matching;

namespace Smallstep.Pki.Policy.Constraints;

/// <summary>One side (permitted or excluded) of a NameConstraints extension, in the four supported name types.</summary>
internal sealed record ConstraintSubtrees(IReadOnlyList<string> DnsNames, IReadOnlyList<IpRange> IpRanges, IReadOnlyList<string> Emails, IReadOnlyList<string> UriDomains)
{
    /// <summary>The number of supported constraints.</summary>
    public int Count => DnsNames.Count + IpRanges.Count + Emails.Count + UriDomains.Count;
}

/// <summary>
/// A decoded NameConstraints extension (RFC 5280 §4.2.1.10, OID 2.5.29.30), checked like Go's
/// crypto/x509 <c>parseNameConstraintsExtension</c>, which step-ca relies on: dNSName, rfc822Name
/// and URI constraints must be ASCII names (an optional leading dot allowed), email constraints
/// with <c>@</c> full mailboxes, IP constraints 8 or 32 octets with a contiguous mask, and at least
/// one subtree must be present. Other name types (directoryName, otherName, ...) are listed in
/// <see cref="Ignored"/> and not enforced, as in step-ca. The GeneralSubtree minimum and maximum
/// are read and ignored, as in Go.
/// </summary>
internal sealed record NameConstraintsExtension(ConstraintSubtrees Permitted, ConstraintSubtrees Excluded, IReadOnlyList<string> Ignored)
{
    private static readonly Asn1Tag PermittedTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExcludedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly string[] GeneralNameTypes = ["otherName", "rfc822Name", "dNSName", "x400Address", "directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"];

    /// <summary>Decodes the extension value.</summary>
    /// <exception cref="FormatException">The value is not a valid NameConstraints extension.</exception>
    public static NameConstraintsExtension Decode(ReadOnlyMemory<byte> value)
    {
        try
        {
            var reader = new AsnReader(value, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            List<string> ignored = [];
            var permitted = sequence.HasData && sequence.PeekTag().HasSameClassAndValue(PermittedTag) ? ReadSubtrees(sequence.ReadSequence(PermittedTag), "permitted", ignored) : null;
            var excluded = sequence.HasData && sequence.PeekTag().HasSameClassAndValue(ExcludedTag) ? ReadSubtrees(sequence.ReadSequence(ExcludedTag), "excluded", ignored) : null;
            sequence.ThrowIfNotEmpty();
            if (permitted is null && excluded is null)
            {
                // RFC 5280 §4.2.1.10: "either the permittedSubtrees field or the excludedSubtrees MUST be present".
                throw new FormatException("empty name constraints extension");
            }
            return new NameConstraintsExtension(permitted ?? Empty, excluded ?? Empty, ignored);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"invalid NameConstraints extension: {e.Message}", e);
        }
    }

    private static ConstraintSubtrees Empty { get; } = new([], [], [], []);

    private static ConstraintSubtrees ReadSubtrees(AsnReader subtrees, string side, List<string> ignored)
    {
        if (!subtrees.HasData)
        {
            // GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree
            throw new FormatException($"empty {side} subtrees in NameConstraints extension");
        }
        List<string> dns = [], emails = [], uris = [];
        List<IpRange> ips = [];
        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            var tag = subtree.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue is < 0 or > 8)
            {
                throw new FormatException("invalid GeneralName in NameConstraints extension");
            }
            switch (tag.TagValue)
            {
                case 1:
                    emails.Add(Email(Ia5(subtree, tag)));
                    break;
                case 2:
                    dns.Add(Domain(Ia5(subtree, tag), "dnsName"));
                    break;
                case 6:
                    uris.Add(Uri(Ia5(subtree, tag)));
                    break;
                case 7:
                    var ip = subtree.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 7));
                    ips.Add(IpRange.FromAddressAndMask(ip) ?? throw new FormatException($"IP constraint of length {ip.Length} or with a non-contiguous mask"));
                    break;
                default:
                    subtree.ReadEncodedValue();
                    ignored.Add($"{side} {GeneralNameTypes[tag.TagValue]}");
                    break;
            }
            // minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL: not used.
            while (subtree.HasData)
            {
                subtree.ReadEncodedValue();
            }
        }
        return new ConstraintSubtrees(dns, ips, emails, uris);
    }

    private static string Ia5(AsnReader subtree, Asn1Tag tag) => subtree.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, tag.TagValue));

    private static string Domain(string constraint, string what)
    {
        var domain = constraint.StartsWith('.') ? constraint[1..] : constraint;
        return DomainName.HasValidLabels(domain) && !domain.StartsWith('.')
            ? constraint
            : throw new FormatException($"failed to parse {what} constraint \"{constraint}\"");
    }

    private static string Email(string constraint) => constraint.Contains('@', StringComparison.Ordinal)
        ? Mailbox.TryParse(constraint, out _) ? constraint : throw new FormatException($"failed to parse rfc822Name constraint \"{constraint}\"")
        : Domain(constraint, "rfc822Name");

    private static string Uri(string constraint) => IpRange.IsAddress(constraint)
        ? throw new FormatException($"failed to parse URI constraint \"{constraint}\": cannot be IP address")
        : Domain(constraint, "URI");
}
