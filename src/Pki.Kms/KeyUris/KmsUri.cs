using System.Text;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.KeyUris;

/// <summary>
/// A key manager URI as go.step.sm/crypto <c>kms/uri</c> reads it, after RFC 7512: <c>scheme:</c>,
/// then attributes separated by <c>;</c> (the opaque part), then an optional <c>?query</c> separated
/// by <c>&amp;</c>, e.g. <c>pkcs11:token=ca;id=7331;object=root?pin-value=1234</c>. Both parts are
/// percent-decoded as Go's <c>url.ParseQuery</c> does (<c>+</c> is a space). A value is looked up in
/// the attributes first and then in the query (<c>uri.Get</c>). Unlike Go, a control character or a
/// malformed escape anywhere is an error rather than an ignored query. The one parser of every key
/// manager here (pkcs11, yubikey, awskms, cloudkms, azurekms). Immutable.
/// </summary>
internal sealed class KmsUri
{
    private readonly Dictionary<string, List<byte[]>> _attributes;
    private readonly Dictionary<string, List<byte[]>> _query;

    private KmsUri(string scheme, string opaque, Dictionary<string, List<byte[]>> attributes, Dictionary<string, List<byte[]>> query)
    {
        Scheme = scheme;
        Opaque = opaque;
        _attributes = attributes;
        _query = query;
    }

    /// <summary>The scheme in lower case, e.g. <c>pkcs11</c>.</summary>
    public string Scheme { get; }

    /// <summary>The raw opaque part (between the colon and <c>?</c>), not decoded (Go's <c>url.URL.Opaque</c>).</summary>
    public string Opaque { get; }

    /// <summary>True when <paramref name="raw"/> starts with <c>scheme:</c> (ASCII case-insensitive).</summary>
    public static bool HasScheme(string raw, string scheme)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(scheme);
        return raw.Length > scheme.Length && raw[scheme.Length] == ':' && raw.StartsWith(scheme, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses <paramref name="raw"/> and checks that its scheme is <paramref name="scheme"/> (case-insensitive), as <c>uri.ParseWithScheme</c>.</summary>
    /// <param name="raw">The URI.</param>
    /// <param name="scheme">The scheme it must have.</param>
    /// <param name="what">What the URI is, for errors (e.g. <c>kms.uri</c>); by default "<c>scheme</c> URI".</param>
    /// <exception cref="PkiException">BadRequest: malformed, or another scheme. The message never repeats the URI (it may hold a PIN or a secret).</exception>
    public static KmsUri Parse(string raw, string scheme, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        what ??= $"{scheme} URI";
        if (raw.Any(char.IsControl))
        {
            throw PkiException.BadRequest($"{what} contains a control character");
        }
        if (!HasScheme(raw, scheme))
        {
            throw PkiException.BadRequest($"{what} is not a {scheme}: URI");
        }
        var colon = scheme.Length;
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
        var attributes = opaque.StartsWith('/') ? new Dictionary<string, List<byte[]>>(StringComparer.Ordinal) : ParseQuery(opaque.Replace(';', '&'), what);
        return new KmsUri(scheme.ToLowerInvariant(), opaque, attributes, ParseQuery(query, what));
    }

    /// <summary>True when the attribute appears in either part, even with an empty value (<c>uri.Has</c>).</summary>
    public bool Has(string key) => _attributes.ContainsKey(key) || _query.ContainsKey(key);

    /// <summary>The first value of <paramref name="key"/> in the attributes, else in the query; empty when absent (<c>uri.Get</c>).</summary>
    public string Get(string key) => Encoding.UTF8.GetString(GetBytes(key));

    /// <summary>True when <paramref name="key"/> has the value <c>true</c> (case-insensitive), as <c>uri.GetBool</c>.</summary>
    public bool GetBool(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    // Values are kept as the bytes the percent-escapes give (Go strings are bytes), so an id such as
    // %a1%ff stays two bytes instead of becoming UTF-8 replacement characters.
    private byte[] GetBytes(string key)
    {
        var value = First(_attributes, key);
        return value.Length > 0 ? value : First(_query, key);
    }

    /// <summary>
    /// The value as bytes, as <c>uri.GetEncoded</c>: hex (optionally <c>0x</c>-prefixed or with
    /// colons, odd length padded with a leading 0) decodes to its bytes, anything else is the bytes
    /// as written and percent-decoded (so <c>id=%0a%10</c> gives 0x0A 0x10). Null when absent or empty.
    /// </summary>
    public byte[]? GetEncoded(string key)
    {
        var raw = GetBytes(key);
        if (raw.Length == 0)
        {
            return null;
        }
        var value = Encoding.Latin1.GetString(raw);
        var hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        hex = hex.Replace(":", string.Empty, StringComparison.Ordinal);
        if (hex.Length % 2 != 0)
        {
            hex = "0" + hex;
        }
        return hex.All(char.IsAsciiHexDigit) ? Convert.FromHexString(hex) : raw;
    }

    /// <summary>
    /// The PIN: <c>pin-value</c>, else the contents of the file <c>pin-source</c> names with trailing
    /// white space removed (<c>uri.Pin</c>); null when neither is set. Unlike step, which then logs
    /// in with an empty PIN, an unreadable <c>pin-source</c> is an error naming the file.
    /// </summary>
    /// <exception cref="PkiException">BadRequest when the <c>pin-source</c> file cannot be read.</exception>
    public string? Pin()
    {
        var value = Get("pin-value");
        if (value.Length > 0)
        {
            return value;
        }
        var source = Get("pin-source");
        if (source.Length == 0)
        {
            return null;
        }
        return ReadFile(source, "pin-source").TrimEnd();
    }

    /// <summary>Reads the file an attribute names (a path or a <c>file:</c> URI), for <c>pin-source</c> and <c>management-key-source</c>.</summary>
    /// <exception cref="PkiException">BadRequest when it cannot be read; the message names the attribute and the path, never the contents.</exception>
    public static string ReadFile(string path, string attribute)
    {
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = path[5..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }
        }
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw PkiException.BadRequest($"{attribute} file {path} cannot be read: {e.Message}", e);
        }
    }

    private static byte[] First(Dictionary<string, List<byte[]>> values, string key) =>
        values.TryGetValue(key, out var list) && list.Count > 0 ? list[0] : [];

    // Go url.ParseQuery: pairs split on '&', "key" without '=' has an empty value, keys and values unescaped.
    private static Dictionary<string, List<byte[]>> ParseQuery(string query, string what)
    {
        var values = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Encoding.UTF8.GetString(Unescape(equals >= 0 ? pair[..equals] : pair, what));
            var value = equals >= 0 ? Unescape(pair[(equals + 1)..], what) : [];
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
            }
            list.Add(value);
        }
        return values;
    }

    // Go url.QueryUnescape: '+' is a space, %XX a byte, a malformed escape an error; other characters are UTF-8.
    private static byte[] Unescape(string value, string what)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    throw PkiException.BadRequest($"{what} has a malformed percent escape");
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
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return bytes.ToArray();
    }
}
