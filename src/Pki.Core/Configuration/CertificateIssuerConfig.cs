using System.Text.Json;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// The <c>authority.certificateIssuer</c> block of a registration authority: how this CA
/// authenticates to the upstream CA (cas/apiv1/options.go <c>CertificateIssuer</c>).
/// </summary>
public sealed record CertificateIssuerConfig
{
    /// <summary><c>type</c>: <c>jwk</c> or <c>x5c</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary><c>provisioner</c>: upstream provisioner name.</summary>
    public string? Provisioner { get; init; }

    /// <summary><c>crt</c>: certificate for x5c issuers.</summary>
    public string? Certificate { get; init; }

    /// <summary><c>key</c>: key for the issuer.</summary>
    public string? Key { get; init; }

    /// <summary><c>password</c>: password of <see cref="Key"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Members step-ca does not know, kept from the input.</summary>
    public IReadOnlyDictionary<string, JsonElement> ExtensionData { get; init; } = EmptyExtensionData.Instance;

    /// <summary>A description without <see cref="Password"/>.</summary>
    public override string ToString() => $"CertificateIssuerConfig {{ Type = {Type}, Provisioner = {Provisioner} }}";

    internal static CertificateIssuerConfig Read(ConfigObjectReader r) => new()
    {
        Type = r.String("type") ?? string.Empty,
        Provisioner = r.String("provisioner"),
        Certificate = r.String("crt"),
        Key = r.String("key"),
        Password = r.String("password"),
        ExtensionData = r.Remaining(),
    };

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.StringIfSet("provisioner", Provisioner);
        w.StringIfSet("crt", Certificate);
        w.StringIfSet("key", Key);
        w.StringIfSet("password", Password);
        w.Extensions(ExtensionData);
        w.WriteEndObject();
    }
}
