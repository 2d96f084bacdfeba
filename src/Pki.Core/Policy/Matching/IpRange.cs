using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Smallstep.Pki.Policy.Matching;

/// <summary>
/// An IP network: an address with its host bits cleared and a prefix length. IPv4-mapped IPv6
/// networks with a prefix of at least 96 bits are kept as IPv4 networks, and IPv4-mapped names are
/// compared as IPv4, as Go's <c>net.IPNet.Contains</c> does; an IPv4 name never matches an IPv6
/// network and vice versa. Immutable.
/// </summary>
internal sealed class IpRange
{
    private readonly byte[] _network;

    private IpRange(byte[] network, int prefixLength)
    {
        _network = network;
        PrefixLength = prefixLength;
        for (var i = 0; i < network.Length; i++)
        {
            _network[i] &= MaskByte(i);
        }
    }

    /// <summary>The prefix length in bits.</summary>
    public int PrefixLength { get; }

    /// <summary>CIDR notation, as Go prints a <c>net.IPNet</c> (<c>10.0.0.0/8</c>).</summary>
    public override string ToString() => $"{new IPAddress(_network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True when <paramref name="address"/> is inside the network.</summary>
    public bool Contains(IPAddress address)
    {
        var bytes = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            if ((bytes[i] & MaskByte(i)) != _network[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Parses a policy rule: CIDR (<c>10.0.0.0/8</c>, host bits allowed as in Go's
    /// <c>net.ParseCIDR</c>) or a single address, which becomes a /32 or /128
    /// (policy/options.go <c>WithPermittedIPsOrCIDRs</c>). Addresses are parsed as strictly as Go's
    /// <c>net.ParseIP</c>: dotted-quad IPv4 without leading zeros, IPv6 without zone.
    /// </summary>
    public static IpRange? ParseRule(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var address = ParseAddress(slash < 0 ? text : text[..slash]);
        if (address is null)
        {
            return null;
        }
        var bits = address.Length * 8;
        if (slash < 0)
        {
            return Create(address, bits);
        }
        var prefix = text[(slash + 1)..];
        if (prefix.Length is 0 or > 3 || !prefix.All(char.IsAsciiDigit))
        {
            return null;
        }
        var length = int.Parse(prefix, CultureInfo.InvariantCulture);
        return length <= bits ? Create(address, length) : null;
    }

    /// <summary>
    /// Builds a range from a name constraint's address and mask (RFC 5280 §4.2.1.10: 8 octets for
    /// IPv4, 32 for IPv6); null when the length is wrong or the mask is not a contiguous prefix.
    /// </summary>
    public static IpRange? FromAddressAndMask(ReadOnlySpan<byte> value)
    {
        if (value.Length is not (8 or 32))
        {
            return null;
        }
        var half = value.Length / 2;
        var mask = value[half..];
        var prefix = 0;
        while (prefix < half * 8 && (mask[prefix / 8] & (0x80 >> (prefix % 8))) != 0)
        {
            prefix++;
        }
        for (var bit = prefix; bit < half * 8; bit++)
        {
            if ((mask[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return null;
            }
        }
        return Create(value[..half].ToArray(), prefix);
    }

    private static IpRange Create(byte[] address, int prefixLength)
    {
        var range = new IpRange(address, prefixLength);
        return range.IsIPv4Mapped && prefixLength >= 96 ? new IpRange(address[12..], prefixLength - 96) : range;
    }

    private bool IsIPv4Mapped => _network.Length == 16 && _network.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0 && _network[10] == 0xff && _network[11] == 0xff;

    private byte MaskByte(int index)
    {
        var bits = PrefixLength - index * 8;
        return bits >= 8 ? (byte)0xff : bits <= 0 ? (byte)0 : (byte)(0xff << (8 - bits));
    }

    /// <summary>True when <paramref name="text"/> is an IP literal to Go's <c>net.ParseIP</c>.</summary>
    public static bool IsAddress(string text) => ParseAddress(text) is not null;

    // Go net.ParseIP: IPv4 must be four decimal octets without leading zeros (Go 1.17+).
    private static byte[]? ParseAddress(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return !text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6.GetAddressBytes()
                : null;
        }
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return null;
            }
            var value = int.Parse(part, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return null;
            }
            bytes[i] = (byte)value;
        }
        return bytes;
    }
}
