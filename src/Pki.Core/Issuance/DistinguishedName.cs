using System.Formats.Asn1;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// A subject in step's certificate model (x509util <c>Subject</c>): multi-valued attributes plus
/// common name and serial number. Encoded in the order of Go's <c>pkix.Name.ToRDNSequence</c>
/// (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER), one RDN per attribute type.
/// </summary>
public sealed record DistinguishedName
{
    /// <summary>countryName values.</summary>
    public IReadOnlyList<string> Country { get; init; } = [];
    /// <summary>organizationName values.</summary>
    public IReadOnlyList<string> Organization { get; init; } = [];
    /// <summary>organizationalUnitName values.</summary>
    public IReadOnlyList<string> OrganizationalUnit { get; init; } = [];
    /// <summary>localityName values.</summary>
    public IReadOnlyList<string> Locality { get; init; } = [];
    /// <summary>stateOrProvinceName values.</summary>
    public IReadOnlyList<string> Province { get; init; } = [];
    /// <summary>streetAddress values.</summary>
    public IReadOnlyList<string> StreetAddress { get; init; } = [];
    /// <summary>postalCode values.</summary>
    public IReadOnlyList<string> PostalCode { get; init; } = [];
    /// <summary>serialNumber attribute.</summary>
    public string SerialNumber { get; init; } = "";
    /// <summary>commonName.</summary>
    public string CommonName { get; init; } = "";
    /// <summary>
    /// Other attributes (x509util <c>extraNames</c>), each written as its own RDN after the
    /// named ones, as Go's <c>pkix.Name.ExtraNames</c>.
    /// </summary>
    public IReadOnlyList<NameAttribute> ExtraNames { get; init; } = [];

    /// <summary>True when no attribute is set.</summary>
    public bool IsEmpty => CommonName.Length == 0 && SerialNumber.Length == 0 && Country.Count == 0 && Organization.Count == 0
        && OrganizationalUnit.Count == 0 && Locality.Count == 0 && Province.Count == 0 && StreetAddress.Count == 0 && PostalCode.Count == 0
        && ExtraNames.Count == 0;

    /// <summary>A subject with only a common name.</summary>
    public static DistinguishedName FromCommonName(string commonName) => new() { CommonName = commonName };

    /// <summary>
    /// Decodes a DER Name into the model; string attributes of other types become
    /// <see cref="ExtraNames"/> (x509util <c>NewExtraNames</c>), non-string values are dropped.
    /// </summary>
    public static DistinguishedName Decode(ReadOnlySpan<byte> der)
    {
        var values = new Dictionary<string, List<string>>();
        var extra = new List<NameAttribute>();
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var rdns = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (rdns.HasData)
        {
            var set = rdns.ReadSetOf();
            while (set.HasData)
            {
                var atv = set.ReadSequence();
                var type = atv.ReadObjectIdentifier();
                var tag = atv.PeekTag();
                if (tag.TagClass != TagClass.Universal)
                {
                    continue;
                }
                string text;
                try
                {
                    text = atv.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                }
                catch (ArgumentException)
                {
                    continue; // not a character string (Go keeps such values only in Names)
                }
                if (!Oids.IsNamedAttribute(type))
                {
                    extra.Add(new NameAttribute(type, text));
                    continue;
                }
                if (!values.TryGetValue(type, out var list))
                {
                    values[type] = list = [];
                }
                list.Add(text);
            }
        }
        IReadOnlyList<string> Get(string oid) => values.TryGetValue(oid, out var l) ? l : [];
        string Last(string oid) => values.TryGetValue(oid, out var l) ? l[^1] : "";
        return new DistinguishedName
        {
            Country = Get(Oids.Country),
            Organization = Get(Oids.Organization),
            OrganizationalUnit = Get(Oids.OrganizationalUnit),
            Locality = Get(Oids.Locality),
            Province = Get(Oids.Province),
            StreetAddress = Get(Oids.StreetAddress),
            PostalCode = Get(Oids.PostalCode),
            SerialNumber = Last(Oids.SerialNumber),
            CommonName = Last(Oids.CommonName),
            ExtraNames = extra,
        };
    }

    /// <summary>Encodes the Name as Go does: PrintableString when every character allows it, else UTF8String.</summary>
    public byte[] Encode()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteRdn(writer, Oids.Country, Country);
            WriteRdn(writer, Oids.Province, Province);
            WriteRdn(writer, Oids.Locality, Locality);
            WriteRdn(writer, Oids.StreetAddress, StreetAddress);
            WriteRdn(writer, Oids.PostalCode, PostalCode);
            WriteRdn(writer, Oids.Organization, Organization);
            WriteRdn(writer, Oids.OrganizationalUnit, OrganizationalUnit);
            if (CommonName.Length > 0)
            {
                WriteRdn(writer, Oids.CommonName, [CommonName]);
            }
            if (SerialNumber.Length > 0)
            {
                WriteRdn(writer, Oids.SerialNumber, [SerialNumber]);
            }
            foreach (var attribute in ExtraNames)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(attribute.Type);
                    // x509util fromDistinguishedNames: emailAddress strings are IA5String.
                    var tag = attribute.Type == Oids.EmailAddress ? UniversalTagNumber.IA5String
                        : IsGoPrintable(attribute.Value) ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String;
                    writer.WriteCharacterString(tag, attribute.Value);
                }
            }
        }
        return writer.Encode();
    }

    private static void WriteRdn(AsnWriter writer, string oid, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        using (writer.PushSetOf())
        {
            foreach (var value in values)
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    writer.WriteCharacterString(IsGoPrintable(value) ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String, value);
                }
            }
        }
    }

    // encoding/asn1 marshal: PrintableString (X.680 §41.4) unless a character is outside it; Go
    // rejects '*' and '&' here even though it tolerates them when parsing.
    private static bool IsGoPrintable(string value) => value.All(c =>
        char.IsAsciiLetterOrDigit(c) || c is ' ' or '\'' or '(' or ')' or '+' or ',' or '-' or '.' or '/' or ':' or '=' or '?');
}

/// <summary>One attribute of a distinguished name outside the named fields (x509util <c>DistinguishedName</c>).</summary>
/// <param name="Type">The attribute type OID, dotted.</param>
/// <param name="Value">The string value.</param>
public sealed record NameAttribute(string Type, string Value);
