using System.Formats.Asn1;
using System.Net;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Issuance.Templating;
using Smallstep.Pki.Templates.Execution;
using Smallstep.Pki.Templates.Functions;

namespace Smallstep.Pki.Issuance;

/// <summary>
/// GeneralName entries (RFC 5280 §4.2.1.6): read from a certificate as text, and written for
/// step's SAN types, including the otherName forms x509util knows: permanentIdentifier
/// (RFC 4043), hardwareModuleName (RFC 4108), userPrincipalName, and any OID with a
/// <c>type:value</c> encoded value. Thread-safe (stateless).
/// </summary>
public static class GeneralNames
{
    // GeneralName CHOICE tags (all context-specific, IMPLICIT except directoryName).
    private const int Rfc822Name = 1, DnsName = 2, DirectoryName = 4, UniformResourceIdentifier = 6, IpAddress = 7;

    private static readonly Asn1Tag OtherNameTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Explicit0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag DirectoryNameTag = new(TagClass.ContextSpecific, DirectoryName, isConstructed: true);
    private static readonly Asn1Tag RegisteredIdTag = new(TagClass.ContextSpecific, 8);

    internal static void WriteDns(AsnWriter writer, string name) => WriteIa5(writer, DnsName, name);

    internal static void WriteIa5(AsnWriter writer, int tag, string value) =>
        writer.WriteCharacterString(UniversalTagNumber.IA5String, value, new Asn1Tag(TagClass.ContextSpecific, tag));

    internal static void WriteIp(AsnWriter writer, IPAddress ip) =>
        writer.WriteOctetString((ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, IpAddress));

    /// <summary>Writes one typed SAN as x509util <c>SubjectAlternativeName.RawValue</c> does.</summary>
    internal static void Write(AsnWriter writer, TypedSan san, Func<string, string> toAscii)
    {
        switch (san.Type)
        {
            case "" or "auto":
                var split = SubjectAlternativeNames.Split([san.Value]);
                var type = split.IpAddresses.Count > 0 ? "ip" : split.Uris.Count > 0 ? "uri" : split.EmailAddresses.Count > 0 ? "email" : "dns";
                Write(writer, san with { Type = type }, toAscii);
                break;
            case "email":
                WriteIa5(writer, Rfc822Name, Ia5(san));
                break;
            case "dns":
                WriteDns(writer, toAscii(san.Value));
                break;
            case "uri":
                WriteIa5(writer, UniformResourceIdentifier, Ia5(san));
                break;
            case "ip":
                WriteIp(writer, GoIp.TryParse(san.Value, out var ip) ? ip : throw Error(san, $"error converting \"{san.Value}\" to IP"));
                break;
            case "registeredID":
                writer.WriteObjectIdentifier(CertificateTemplateReader.Oid(san.Value, san.Path), RegisteredIdTag);
                break;
            case "permanentIdentifier":
                WritePermanentIdentifier(writer, san);
                break;
            case "hardwareModuleName":
                WriteHardwareModuleName(writer, san);
                break;
            case "dn":
                WriteDirectoryName(writer, san);
                break;
            case "userPrincipalName":
                WriteOtherName(writer, Oids.UserPrincipalName, Marshal(san, san.Value.Length > 0 ? san.Value : throw Error(san, "empty value is not allowed"), "utf8"));
                break;
            case "x400Address" or "ediPartyName":
                throw Error(san, $"unimplemented SAN type {san.Type}");
            default:
                WriteCustomOtherName(writer, san);
                break;
        }
    }

    /// <summary>e-mail addresses, DNS names, URIs and IP addresses as text, directory names as DNs, in
    /// certificate order; <c>otherName</c>, <c>registeredID</c> and the rest are skipped.</summary>
    /// <exception cref="FormatException">Malformed DER.</exception>
    public static IReadOnlyList<string> ReadText(ReadOnlyMemory<byte> value)
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

    // otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } (RFC 5280 §4.2.1.6).
    private static void WriteOtherName(AsnWriter writer, string oid, byte[] value)
    {
        using (writer.PushSequence(OtherNameTag))
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSequence(Explicit0))
            {
                writer.WriteEncodedValue(value);
            }
        }
    }

    private static void WriteCustomOtherName(AsnWriter writer, TypedSan san)
    {
        string oid;
        try
        {
            oid = CertificateTemplateReader.Oid(san.Type, san.Path);
        }
        catch (PkiException)
        {
            throw Error(san, $"unsupported SAN type {san.Type}");
        }
        var (kind, value) = StepAsn1Functions.SplitTyped(san.Value);
        WriteOtherName(writer, oid, Marshal(san, value, kind));
    }

    // RFC 4043 §5: PermanentIdentifier ::= SEQUENCE { identifierValue UTF8String OPTIONAL, assigner OID OPTIONAL }.
    private static void WritePermanentIdentifier(AsnWriter writer, TypedSan san)
    {
        string identifier = san.Value, assigner = "";
        if (san.Asn1Value is { } structured)
        {
            var o = TemplateJsonObject.Read(structured, ["identifier", "assigner"], $"{san.Path}.asn1Value");
            identifier = o.String("identifier") ?? "";
            assigner = o.String("assigner") is { Length: > 0 } a ? CertificateTemplateReader.Oid(a, $"{o.Path}.assigner") : "";
        }
        var inner = new AsnWriter(AsnEncodingRules.DER);
        using (inner.PushSequence())
        {
            if (identifier.Length > 0)
            {
                inner.WriteCharacterString(UniversalTagNumber.UTF8String, identifier);
            }
            if (assigner.Length > 0)
            {
                inner.WriteObjectIdentifier(assigner);
            }
        }
        WriteOtherName(writer, Oids.PermanentIdentifier, inner.Encode());
    }

    // RFC 4108 §5: HardwareModuleName ::= SEQUENCE { hwType OID, hwSerialNum OCTET STRING }; x509util
    // tags the serial number [4] (asn1:"tag:4"), which we reproduce for identical certificates.
    private static void WriteHardwareModuleName(AsnWriter writer, TypedSan san)
    {
        JsonElement element;
        if (san.Asn1Value is { } structured)
        {
            element = structured;
        }
        else if (san.Value.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(san.Value);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Error(san, "error unmarshaling HardwareModuleName SAN");
            }
        }
        else
        {
            throw Error(san, "error parsing HardwareModuleName SAN: empty value or asn1Value is not allowed");
        }
        var o = TemplateJsonObject.Read(element, ["type", "serialNumber"], $"{san.Path}.asn1Value");
        var inner = new AsnWriter(AsnEncodingRules.DER);
        using (inner.PushSequence())
        {
            inner.WriteObjectIdentifier(CertificateTemplateReader.Oid(o.String("type") ?? "", $"{o.Path}.type"));
            inner.WriteOctetString(o.Bytes("serialNumber") ?? [], new Asn1Tag(TagClass.ContextSpecific, 4));
        }
        WriteOtherName(writer, Oids.HardwareModuleName, inner.Encode());
    }

    private static void WriteDirectoryName(AsnWriter writer, TypedSan san)
    {
        JsonElement element;
        if (san.Asn1Value is { } structured)
        {
            element = structured;
        }
        else
        {
            try
            {
                using var document = JsonDocument.Parse(san.Value);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw Error(san, "error unmarshaling DirectoryName SAN");
            }
        }
        var name = NameReader.Read(element, $"{san.Path}.asn1Value");
        if (name.IsEmpty)
        {
            throw Error(san, "error parsing DirectoryName SAN: empty or malformed asn1Value");
        }
        using (writer.PushSequence(DirectoryNameTag))
        {
            writer.WriteEncodedValue(name.Encode());
        }
    }

    // x509util marshalExplicitValue without the [0] wrapper, which WriteOtherName adds.
    private static byte[] Marshal(TypedSan san, string value, string type)
    {
        try
        {
            return StepAsn1Functions.MarshalValue(value, type);
        }
        catch (TemplateFunctionException e)
        {
            throw Error(san, e.Message);
        }
    }

    private static string Ia5(TypedSan san) =>
        san.Value.All(char.IsAscii) ? san.Value : throw Error(san, $"error converting \"{san.Value}\" to ia5");

    private static PkiException Error(TypedSan san, string message) =>
        PkiException.BadRequest($"error applying certificate template: {san.Path}: {message}");
}
