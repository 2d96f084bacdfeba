using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// Maps a softkms key name to a file path, as go.step.sm/crypto <c>kms/softkms</c>
/// <c>filename()</c> does with <c>kms/uri</c>: <c>softkms:path=/a/b.key</c> (attributes separated by
/// <c>;</c>, percent-encoded, a <c>?path=</c> query also counts) or <c>softkms:b.key</c> (opaque
/// part), anything else is a plain path. Differences, both where step would end up opening a
/// nonsense file name: <c>softkms:/a/b.key</c> is the path <c>/a/b.key</c> here, and attributes
/// without a non-empty <c>path</c> (<c>softkms:path=</c>, <c>softkms:foo=bar</c>) are an error.
/// </summary>
internal static class SoftKmsUri
{
    private const string Scheme = "softkms:";

    /// <summary>Other key managers' schemes, refused with a pointer to the right one.</summary>
    private static readonly string[] OtherSchemes =
        ["pkcs11", "awskms", "cloudkms", "azurekms", "yubikey", "tpmkms", "sshagentkms", "capi", "mackms"];

    /// <exception cref="PkiException">BadRequest for an unusable URI, NotImplemented for another KMS's URI.</exception>
    public static string ToFilePath(string keyUri)
    {
        if (string.IsNullOrWhiteSpace(keyUri))
        {
            throw PkiException.BadRequest("softkms key name is empty");
        }
        if (!keyUri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var colon = keyUri.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && OtherSchemes.Contains(keyUri[..colon], StringComparer.OrdinalIgnoreCase))
            {
                throw PkiException.NotImplemented($"key '{keyUri}' belongs to the {keyUri[..colon]} key manager, not softkms");
            }
            return keyUri;
        }

        var rest = keyUri[Scheme.Length..];
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            rest = rest[..hash];
        }
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var opaque = question >= 0 ? rest[..question] : rest;
        var query = question >= 0 ? rest[(question + 1)..] : "";
        var path = Attribute(opaque.Replace(';', '&')) ?? Attribute(query)
            ?? (opaque.Contains('=', StringComparison.Ordinal) ? "" : opaque);
        return path.Length > 0 ? path : throw PkiException.BadRequest($"key URI '{keyUri}' has no path attribute");
    }

    /// <summary>The first non-empty <c>path</c> value of a query string (Go <c>url.ParseQuery</c> + <c>Get</c>).</summary>
    private static string? Attribute(string query)
    {
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && Unescape(pair[..equals]) == "path")
            {
                var value = Unescape(pair[(equals + 1)..]);
                return value.Length > 0 ? value : null;
            }
        }
        return null;
    }

    /// <summary>Query unescaping: <c>+</c> is a space, <c>%XX</c> a byte (malformed escapes are kept).</summary>
    private static string Unescape(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
