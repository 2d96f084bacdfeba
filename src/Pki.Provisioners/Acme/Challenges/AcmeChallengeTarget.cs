using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// The identifier of an attempt, checked and in the forms the validators need: a DNS name
/// (RFC 8555 §9.7.7 type <c>dns</c>) or an IP address (RFC 8738 §3 type <c>ip</c>).
/// </summary>
internal sealed class AcmeChallengeTarget
{
    private AcmeChallengeTarget(string name, IPAddress? address)
    {
        Name = name;
        Address = address;
    }

    /// <summary>The DNS name, or the IP address in its canonical text form.</summary>
    public string Name { get; }

    /// <summary>The IP address of an <c>ip</c> identifier; null for a <c>dns</c> identifier.</summary>
    public IPAddress? Address { get; }

    /// <summary>The host as written in a URL and an HTTP Host header: IPv6 addresses in brackets (RFC 3986 §3.2.2).</summary>
    public string UriHost => Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{Name}]" : Name;

    /// <summary>
    /// The TLS server name (SNI) for tls-alpn-01: the DNS name, or for an IP address its reverse
    /// mapping name under <c>in-addr.arpa</c> / <c>ip6.arpa</c> (RFC 8738 §6), without a trailing
    /// dot as RFC 6066 §3 requires.
    /// </summary>
    public string TlsServerName => Address is null ? Name : ReverseName(Address);

    /// <summary>Checks the identifier of <paramref name="attempt"/>; null when it is neither a DNS name nor an IP address.</summary>
    public static AcmeChallengeTarget? Create(AcmeChallengeAttempt attempt)
    {
        var value = attempt.IdentifierValue;
        return attempt.IdentifierType switch
        {
            "dns" when Uri.CheckHostName(value) == UriHostNameType.Dns => new AcmeChallengeTarget(value, null),
            "ip" when Uri.CheckHostName(value) is UriHostNameType.IPv4 or UriHostNameType.IPv6
                && IPAddress.TryParse(value, out var address)
                && (address.AddressFamily == AddressFamily.InterNetwork || address.ScopeId == 0) =>
                new AcmeChallengeTarget(address.ToString(), address),
            _ => null,
        };
    }

    private static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var name = new StringBuilder();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                name.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }
            else
            {
                name.Append("0123456789abcdef"[bytes[i] & 0xf]).Append('.').Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
            }
        }
        return name.Append(address.AddressFamily == AddressFamily.InterNetwork ? "in-addr.arpa" : "ip6.arpa").ToString();
    }
}
