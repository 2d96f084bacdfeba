using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Remote;

/// <summary>
/// A key manager URI as go.step.sm/crypto <c>kms/uri</c> parses it (after RFC 7512):
/// <c>scheme:k1=v1;k2=v2?k3=v3</c>. Attributes come from the opaque part (<c>;</c>-separated) and
/// the query (<c>&amp;</c>-separated), both percent-decoded with <c>+</c> as a space; <see cref="Get"/>
/// prefers the opaque part, as <c>URI.Get</c> does. The fragment is ignored. Immutable.
/// </summary>
internal sealed class StepKmsUri
{
    private readonly Dictionary<string, string> _opaqueValues;
    private readonly Dictionary<string, string> _queryValues;

    private StepKmsUri(string scheme, string opaque, Dictionary<string, string> opaqueValues, Dictionary<string, string> queryValues)
    {
        Scheme = scheme;
        Opaque = opaque;
        _opaqueValues = opaqueValues;
        _queryValues = queryValues;
    }

    /// <summary>The scheme in lower case.</summary>
    public string Scheme { get; }

    /// <summary>The raw opaque part (between the colon and <c>?</c>), not decoded (Go's <c>url.URL.Opaque</c>).</summary>
    public string Opaque { get; }

    /// <summary>True when <paramref name="value"/> starts with <c>scheme:</c> (case-insensitive).</summary>
    public static bool HasScheme(string scheme, string value) =>
        value.Length > scheme.Length && value[scheme.Length] == ':' && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="value"/>, which must have the scheme <paramref name="scheme"/>.</summary>
    /// <param name="scheme">The expected scheme, e.g. <c>cloudkms</c>.</param>
    /// <param name="value">The URI.</param>
    /// <param name="what">What the URI is, for errors (e.g. <c>kms.uri</c>); the URI itself is never quoted since it may hold secrets.</param>
    /// <exception cref="PkiException">BadRequest: another scheme, or a malformed percent-escape.</exception>
    public static StepKmsUri Parse(string scheme, string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!HasScheme(scheme, value))
        {
            throw PkiException.BadRequest($"{what} is not a {scheme}: URI");
        }
        var rest = value[(scheme.Length + 1)..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var opaque = question >= 0 ? rest[..question] : rest;
        var query = question >= 0 ? rest[(question + 1)..] : string.Empty;
        return new StepKmsUri(scheme.ToLowerInvariant(), opaque, ParseValues(opaque, ';', what), ParseValues(query, '&', what));
    }

    /// <summary>The first value of <paramref name="key"/> (opaque part first, then the query), or empty.</summary>
    public string Get(string key)
    {
        var value = _opaqueValues.GetValueOrDefault(key);
        return string.IsNullOrEmpty(value) ? _queryValues.GetValueOrDefault(key) ?? string.Empty : value;
    }

    /// <summary>True when <paramref name="key"/> has the value <c>true</c> (case-insensitive), as <c>URI.GetBool</c>.</summary>
    public bool GetBool(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    private static Dictionary<string, string> ParseValues(string text, char separator, string what)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(equals >= 0 ? pair[..equals] : pair, what);
            var value = equals >= 0 ? Unescape(pair[(equals + 1)..], what) : string.Empty;
            values.TryAdd(key, value);
        }
        return values;
    }

    // Go's url.QueryUnescape: '+' is a space and every '%' must start a valid escape.
    private static string Unescape(string text, string what)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                throw PkiException.BadRequest($"{what} has an invalid percent-escape");
            }
        }
        return Uri.UnescapeDataString(text.Replace('+', ' '));
    }
}
