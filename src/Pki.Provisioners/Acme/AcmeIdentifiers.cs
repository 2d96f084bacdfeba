using System.Globalization;
using System.Net;
using Smallstep.Pki.Acme;

namespace Smallstep.Pki.Provisioners.Acme;

/// <summary>
/// new-order identifiers: <c>dns</c> names (RFC 8555 §7.1.4, a leading <c>*.</c> for wildcards) and
/// <c>ip</c> addresses (RFC 8738), normalized, and the challenge types each may use (reference §1.7
/// table, intersected with the provisioner's <c>challenges</c>). Stateless.
/// </summary>
public static class AcmeIdentifiers
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The identifier as stored: DNS names lower-cased ASCII, IP addresses in canonical text; <c>malformed</c> or <c>rejectedIdentifier</c> otherwise.</summary>
    public static AcmeIdentifier Normalize(string? type, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw AcmeErrors.Malformed("an identifier needs a value");
        }
        switch (type)
        {
            case "dns":
                var wildcard = value.StartsWith("*.", StringComparison.Ordinal);
                var name = wildcard ? value[2..] : value;
                string ascii;
                try
                {
                    ascii = Idn.GetAscii(name.TrimEnd('.')).ToLowerInvariant();
                }
                catch (ArgumentException)
                {
                    throw AcmeErrors.Problem("rejectedIdentifier", $"\"{value}\" is not a DNS name");
                }
                if (ascii.Length is 0 or > 253 || ascii.Contains('*') || IPAddress.TryParse(ascii, out _))
                {
                    throw AcmeErrors.Problem("rejectedIdentifier", $"\"{value}\" is not a DNS name");
                }
                return new AcmeIdentifier("dns", wildcard ? "*." + ascii : ascii);
            case "ip":
                // RFC 8738 §3: the textual form of RFC 1123 §2.1 (IPv4) or RFC 5952 §4 (IPv6).
                if (!IPAddress.TryParse(value, out var address) || value.Contains('%') || value.Contains('/'))
                {
                    throw AcmeErrors.Malformed($"\"{value}\" is not an IP address");
                }
                return new AcmeIdentifier("ip", (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
            default:
                throw AcmeErrors.Problem("unsupportedIdentifier", $"identifier type \"{type}\" is not supported");
        }
    }

    /// <summary>The challenge types offered for <paramref name="identifier"/> (wildcards: dns-01 only; IP: no dns-01), in step-ca's order.</summary>
    public static IReadOnlyList<string> ChallengeTypes(AcmeIdentifier identifier, IReadOnlyList<string> enabled)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(enabled);
        string[] offered = identifier.Type == "ip"
            ? ["http-01", "tls-alpn-01"]
            : identifier.Value.StartsWith("*.", StringComparison.Ordinal) ? ["dns-01"] : ["dns-01", "http-01", "tls-alpn-01"];
        return offered.Where(enabled.Contains).ToArray();
    }
}
