using System.Buffers;

namespace Smallstep.Pki.Policy.Matching;

/// <summary>
/// The host of a URI SAN, read the way Go's <c>net/url.Parse</c> fills <c>URL.Host</c>, and the
/// RFC 5280 §4.2.1.10 host check that step-ca's policy and constraints apply to it
/// (<c>matchURIConstraint</c>): the port is dropped, and URIs without a host name (no authority,
/// or an IP literal) cannot be matched.
/// </summary>
internal static class UriHost
{
    private static readonly SearchValues<char> SchemeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    /// <summary>
    /// The host name to match rules against, or null with <paramref name="error"/> set when the URI
    /// cannot be matched: unparsable, empty host, IP host, or (for the name policy) a <c>*</c> in the host.
    /// </summary>
    /// <param name="uri">The URI.</param>
    /// <param name="forNamePolicy">True for the name policy (policy/validate.go), false for CA name
    /// constraints (authority/internal/constraints/verify.go), whose checks and wording differ slightly.</param>
    /// <param name="error">Why the URI cannot be matched.</param>
    public static string? HostName(string uri, bool forNamePolicy, out string error)
    {
        error = "";
        var host = AuthorityHost(uri);
        if (host is null)
        {
            error = $"cannot parse URI {Quote(uri)}";
            return null;
        }
        if (host.Length == 0)
        {
            error = $"URI with empty host ({Quote(uri)}) cannot be matched against constraints";
            return null;
        }
        if (forNamePolicy && host.Contains('*', StringComparison.Ordinal))
        {
            error = $"URI host {Quote(uri)} cannot contain asterisk";
            return null;
        }
        if (host.Contains(':', StringComparison.Ordinal) && !host.EndsWith(']'))
        {
            // net.SplitHostPort: the part before the last colon may not contain another colon.
            var colon = host.LastIndexOf(':');
            host = host[..colon];
            if (host.Contains(':', StringComparison.Ordinal) || host.Contains('[', StringComparison.Ordinal) || host.Contains(']', StringComparison.Ordinal))
            {
                error = $"address {host}: too many colons in address";
                return null;
            }
        }
        if ((host.StartsWith('[') && host.EndsWith(']')) || IpRange.IsAddress(host))
        {
            error = forNamePolicy ? $"URI with IP {Quote(uri)} cannot be matched against constraints" : $"URI with IP ({Quote(uri)}) cannot be matched against constraints";
            return null;
        }
        return host;
    }

    // url.Parse: fragment and query are cut, "scheme:" is required (the caller only passes URIs),
    // a path without "//" is opaque (no host); the authority runs to the next '/', user info ends
    // at its last '@', and a port must be decimal. Escapes in the host are not decoded: any '%'
    // makes the URI unparsable here (Go rejects escaped ASCII in hosts and the rest cannot match).
    private static string? AuthorityHost(string uri)
    {
        if (uri.Any(c => c < 0x20 || c == 0x7f))
        {
            return null;
        }
        var rest = uri;
        var cut = rest.IndexOf('#', StringComparison.Ordinal);
        rest = cut < 0 ? rest : rest[..cut];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(rest[0]) || rest.AsSpan(0, colon).ContainsAnyExcept(SchemeCharacters))
        {
            return "";
        }
        rest = rest[(colon + 1)..];
        cut = rest.IndexOf('?', StringComparison.Ordinal);
        rest = cut < 0 ? rest : rest[..cut];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return "";
        }
        rest = rest[2..];
        cut = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = cut < 0 ? rest : rest[..cut];
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        return IsValidHost(host) ? host : null;
    }

    // url.parseHost and shouldEscape(encodeHost): IP literals in brackets, an optional ":digits"
    // port, and only host characters Go leaves unescaped.
    private static bool IsValidHost(string host)
    {
        string port;
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0)
            {
                return false;
            }
            port = host[(close + 1)..];
        }
        else
        {
            var colon = host.LastIndexOf(':');
            port = colon < 0 ? "" : host[colon..];
        }
        if (port.Length > 0 && (port[0] != ':' || port.AsSpan(1).ContainsAnyExcept(Digits)))
        {
            return false;
        }
        return host.All(c => c >= 0x80 || char.IsAsciiLetterOrDigit(c) || "-_.~!$&'()*+,;=:[]<>\"".Contains(c, StringComparison.Ordinal));
    }

    private static string Quote(string value) => Templates.Execution.GoFormatter.Quote(value);
}
