using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Aws;

/// <summary>
/// A key-manager URI as go.step.sm/crypto <c>kms/uri</c> parses it (after RFC 7512): a scheme, then
/// <c>name=value</c> attributes separated by <c>;</c> in the opaque part, plus an optional
/// <c>?query</c> consulted when the opaque part lacks an attribute (<c>URI.Get</c>). Values are
/// percent-decoded with <c>+</c> as a space (Go <c>url.ParseQuery</c>); a malformed escape is an
/// error, as in Go. Immutable.
/// </summary>
internal sealed class StepKmsUri
{
    private readonly List<KeyValuePair<string, string>> _attributes;
    private readonly List<KeyValuePair<string, string>> _query;

    private StepKmsUri(string scheme, List<KeyValuePair<string, string>> attributes, List<KeyValuePair<string, string>> query)
    {
        Scheme = scheme;
        _attributes = attributes;
        _query = query;
    }

    /// <summary>The scheme in lower case, e.g. <c>awskms</c>.</summary>
    public string Scheme { get; }

    /// <summary>True when <paramref name="raw"/> starts with <c>scheme:</c> (ASCII case-insensitive).</summary>
    public static bool HasScheme(string raw, string scheme) =>
        raw.Length > scheme.Length && raw[scheme.Length] == ':' && raw.StartsWith(scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="raw"/>; <paramref name="what"/> names it in errors (e.g. <c>kms.uri</c>).</summary>
    /// <exception cref="PkiException">BadRequest for a missing scheme or a malformed escape.</exception>
    public static StepKmsUri Parse(string raw, string what)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var colon = raw.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(raw.AsSpan(0, colon)))
        {
            throw PkiException.BadRequest($"{what} is not a key manager URI (scheme:attributes): the scheme is missing");
        }
        var rest = raw[(colon + 1)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var opaque = question >= 0 ? rest[..question] : rest;
        var query = question >= 0 ? rest[(question + 1)..] : string.Empty;
        // Go's url.Parse leaves "scheme:/path" with an empty opaque part (the attributes then come only from the query).
        var attributes = opaque.StartsWith('/') ? [] : ParseQuery(opaque.Replace(';', '&'), what);
        return new StepKmsUri(raw[..colon].ToLowerInvariant(), attributes, ParseQuery(query, what));
    }

    /// <summary>The first non-empty value of <paramref name="name"/> in the attributes, else in the query, else empty (<c>URI.Get</c>).</summary>
    public string Get(string name)
    {
        var value = First(_attributes, name);
        return value.Length > 0 ? value : First(_query, name);
    }

    private static string First(List<KeyValuePair<string, string>> values, string name)
    {
        foreach (var (key, value) in values)
        {
            if (key == name)
            {
                return value;
            }
        }
        return string.Empty;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Go <c>url.ParseQuery</c>: pairs split on <c>&amp;</c>, a pair without <c>=</c> has an empty value.</summary>
    private static List<KeyValuePair<string, string>> ParseQuery(string query, string what)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals >= 0 ? pair[..equals] : pair;
            var value = equals >= 0 ? pair[(equals + 1)..] : string.Empty;
            result.Add(new(Unescape(key, what), Unescape(value, what)));
        }
        return result;
    }

    /// <summary>Query unescaping: <c>+</c> is a space, <c>%XX</c> a byte; the bytes are UTF-8.</summary>
    private static string Unescape(string value, string what)
    {
        if (!value.Contains('%', StringComparison.Ordinal) && !value.Contains('+', StringComparison.Ordinal))
        {
            return value;
        }
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    throw PkiException.BadRequest($"{what} has an invalid percent escape");
                }
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(i, length)));
                i += length - 1;
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
