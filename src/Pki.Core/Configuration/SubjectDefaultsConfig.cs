using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The <c>authority.template</c> block (authority/config/config.go <c>ASN1DN</c>): default subject
/// attributes, each applied to an issued certificate only when that attribute is still empty
/// after templating (authority/tls.go <c>withDefaultASN1DN</c>).
/// </summary>
public sealed record SubjectDefaultsConfig
{
    /// <summary><c>country</c>.</summary>
    public string? Country { get; init; }

    /// <summary><c>organization</c>.</summary>
    public string? Organization { get; init; }

    /// <summary><c>organizationalUnit</c>.</summary>
    public string? OrganizationalUnit { get; init; }

    /// <summary><c>locality</c>.</summary>
    public string? Locality { get; init; }

    /// <summary><c>province</c>.</summary>
    public string? Province { get; init; }

    /// <summary><c>streetAddress</c>.</summary>
    public string? StreetAddress { get; init; }

    /// <summary><c>serialNumber</c> (the subject attribute, not the certificate serial).</summary>
    public string? SerialNumber { get; init; }

    /// <summary><c>commonName</c>.</summary>
    public string? CommonName { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>True when no attribute is set.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Country) && string.IsNullOrEmpty(Organization)
        && string.IsNullOrEmpty(OrganizationalUnit) && string.IsNullOrEmpty(Locality)
        && string.IsNullOrEmpty(Province) && string.IsNullOrEmpty(StreetAddress)
        && string.IsNullOrEmpty(SerialNumber) && string.IsNullOrEmpty(CommonName);

    internal static SubjectDefaultsConfig Read(ConfigObjectReader r) => new()
    {
        Country = r.String("country"),
        Organization = r.String("organization"),
        OrganizationalUnit = r.String("organizationalUnit"),
        Locality = r.String("locality"),
        Province = r.String("province"),
        StreetAddress = r.String("streetAddress"),
        SerialNumber = r.String("serialNumber"),
        CommonName = r.String("commonName"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.StringIfSet("country", Country);
        w.StringIfSet("organization", Organization);
        w.StringIfSet("organizationalUnit", OrganizationalUnit);
        w.StringIfSet("locality", Locality);
        w.StringIfSet("province", Province);
        w.StringIfSet("streetAddress", StreetAddress);
        w.StringIfSet("serialNumber", SerialNumber);
        w.StringIfSet("commonName", CommonName);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
