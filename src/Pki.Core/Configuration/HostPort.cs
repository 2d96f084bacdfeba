using System.Globalization;

namespace Smallstep.Pki.Configuration;

/// <summary>
/// Checks listen addresses the way step-ca does with Go's <c>net.SplitHostPort</c>
/// (<c>host:port</c>, <c>[v6]:port</c>, <c>:port</c>), and additionally requires a numeric port
/// because the listener would fail on anything else.
/// </summary>
internal static class HostPort
{
    /// <summary>Null when <paramref name="address"/> is a valid listen address, else why not.</summary>
    public static string? Problem(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return "missing port in address";
        }
        var portStart = colon + 1;
        if (address.StartsWith('['))
        {
            var end = address.IndexOf(']');
            if (end < 0)
            {
                return "missing ']' in address";
            }
            if (end + 1 == address.Length)
            {
                return "missing port in address";
            }
            if (end + 1 != colon)
            {
                return address[end + 1] == ':' ? "too many colons in address" : "missing port in address";
            }
            if (address.IndexOf('[', 1) >= 0 || address.IndexOf(']', end + 1) >= 0)
            {
                return "unexpected bracket in address";
            }
        }
        else if (address.AsSpan(0, colon).Contains(':'))
        {
            return "too many colons in address";
        }
        else if (address.AsSpan().IndexOfAny('[', ']') >= 0)
        {
            return "unexpected bracket in address";
        }
        var port = address[portStart..];
        return ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? null
            : $"invalid port \"{port}\"";
    }
}
