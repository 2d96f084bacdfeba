using System.Formats.Asn1;
using System.Text.Json;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>Reads x509util's <c>Name</c>/<c>Subject</c> JSON: a plain string is the common name.</summary>
internal static class NameReader
{
    private static readonly string[] Fields =
        ["country", "organization", "organizationalUnit", "locality", "province", "streetAddress", "postalCode", "serialNumber", "commonName", "extraNames"];

    public static DistinguishedName Read(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return DistinguishedName.FromCommonName(element.GetString()!);
        }
        var o = TemplateJsonObject.Read(element, Fields, path);
        var extra = new List<NameAttribute>();
        var i = 0;
        foreach (var item in o.Array("extraNames"))
        {
            var atv = TemplateJsonObject.Read(item, ["type", "value"], $"{path}.extraNames[{i++}]");
            var type = CertificateTemplateReader.Oid(atv.String("type") ?? "", $"{atv.Path}.type");
            // Go marshals any value; string values are what certificates carry in practice.
            var value = atv.String("value") ?? throw TemplateJsonObject.Invalid($"{atv.Path}.value", "a string");
            extra.Add(new NameAttribute(type, value));
        }
        return new DistinguishedName
        {
            Country = o.Strings("country"),
            Organization = o.Strings("organization"),
            OrganizationalUnit = o.Strings("organizationalUnit"),
            Locality = o.Strings("locality"),
            Province = o.Strings("province"),
            StreetAddress = o.Strings("streetAddress"),
            PostalCode = o.Strings("postalCode"),
            SerialNumber = o.String("serialNumber") ?? "",
            CommonName = o.String("commonName") ?? "",
            ExtraNames = extra,
        };
    }

    /// <summary>Checks that <paramref name="der"/> is one DER Name (a template's <c>rawSubject</c>).</summary>
    public static byte[] CheckDer(byte[] der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var name = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (name.HasData)
            {
                name.ReadSetOf();
            }
            return der;
        }
        catch (AsnContentException)
        {
            throw PkiException.BadRequest("error applying certificate template: rawSubject is not a DER-encoded name");
        }
    }
}
