using System.Net;
using System.Net.Sockets;

namespace Smallstep.Pki.Provisioners.Acme.Challenges;

/// <summary>
/// Which addresses a challenge may connect to (see <see cref="AcmeChallengeOptions"/>, remarks).
/// Immutable and thread-safe. IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96, RFC 6052)
/// IPv6 addresses are judged by the IPv4 address they carry.
/// </summary>
internal sealed class AcmeNetworkPolicy(bool allowLoopback, bool allowPrivateNetworks)
{
    /// <summary>Why an address is refused, or null when it is allowed.</summary>
    public string? Refusal(IPAddress address)
    {
        var ipv4 = EmbeddedIPv4(address);
        return ipv4 is not null ? RefusalV4(ipv4) : RefusalV6(address.GetAddressBytes());
    }

    private string? RefusalV4(byte[] a) => a switch
    {
        [0, ..] => "an unspecified address (0.0.0.0/8, RFC 1122 §3.2.1.3)",
        [127, ..] => allowLoopback ? null : "a loopback address (127.0.0.0/8) and AllowLoopback is off",
        [169, 254, ..] => "a link-local address (169.254.0.0/16, RFC 3927)",
        [>= 224 and <= 239, ..] => "a multicast address (224.0.0.0/4)",
        [>= 240, ..] => "a reserved or broadcast address (240.0.0.0/4, RFC 1112 §4)",
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] or [100, >= 64 and <= 127, ..] =>
            allowPrivateNetworks ? null : "a private address (RFC 1918, RFC 6598) and AllowPrivateNetworks is off",
        _ => null,
    };

    private string? RefusalV6(byte[] a)
    {
        if (a.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return "the unspecified address (::, RFC 4291 §2.5.2)";
        }
        if (a.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0 && a[15] == 1)
        {
            return allowLoopback ? null : "the loopback address (::1) and AllowLoopback is off";
        }
        return a switch
        {
            [0xfe, >= 0x80 and <= 0xbf, ..] => "a link-local address (fe80::/10, RFC 4291 §2.5.6)",
            [0xff, ..] => "a multicast address (ff00::/8, RFC 4291 §2.7)",
            [0xfc or 0xfd, ..] or [0xfe, >= 0xc0, ..] =>
                allowPrivateNetworks ? null : "a private address (fc00::/7 RFC 4193, fec0::/10) and AllowPrivateNetworks is off",
            _ => null,
        };
    }

    private static byte[]? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address.GetAddressBytes();
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().GetAddressBytes();
        }
        var bytes = address.GetAddressBytes();
        ReadOnlySpan<byte> nat64 = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
        return bytes.AsSpan(0, 12).SequenceEqual(nat64) ? bytes[12..] : null;
    }
}
