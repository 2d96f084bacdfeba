using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>Reads x509util's <c>NameConstraints</c> JSON (IP ranges in CIDR form, as Go's <c>net.ParseCIDR</c>).</summary>
internal static class NameConstraintsReader
{
    private static readonly string[] Fields =
    [
        "critical", "permittedDNSDomains", "excludedDNSDomains", "permittedIPRanges", "excludedIPRanges",
        "permittedEmailAddresses", "excludedEmailAddresses", "permittedURIDomains", "excludedURIDomains",
    ];

    public static NameConstraintsDescription Read(JsonElement element)
    {
        var o = TemplateJsonObject.Read(element, Fields, "nameConstraints");
        var constraints = new NameConstraintsDescription { Critical = o.Boolean("critical") };
        constraints.PermittedDnsDomains.AddRange(Ia5(o, "permittedDNSDomains"));
        constraints.ExcludedDnsDomains.AddRange(Ia5(o, "excludedDNSDomains"));
        constraints.PermittedIpRanges.AddRange(o.Strings("permittedIPRanges").Select(ParseCidr));
        constraints.ExcludedIpRanges.AddRange(o.Strings("excludedIPRanges").Select(ParseCidr));
        constraints.PermittedEmailAddresses.AddRange(Ia5(o, "permittedEmailAddresses"));
        constraints.ExcludedEmailAddresses.AddRange(Ia5(o, "excludedEmailAddresses"));
        constraints.PermittedUriDomains.AddRange(Ia5(o, "permittedURIDomains"));
        constraints.ExcludedUriDomains.AddRange(Ia5(o, "excludedURIDomains"));
        return constraints;
    }

    private static IEnumerable<string> Ia5(GoJsonObject o, string field) =>
        CertificateTemplateReader.Ia5(o.Strings(field), $"nameConstraints.{field}");

    private static (IPAddress, int) ParseCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && GoIp.TryParse(text[..slash], out var address) && int.TryParse(text.AsSpan(slash + 1), out var prefix)
            && text[(slash + 1)..].All(char.IsAsciiDigit) && prefix >= 0 && prefix <= (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            return (address, prefix);
        }
        throw PkiException.BadRequest($"error applying certificate template: invalid CIDR address: {text}");
    }
}
