using System.Text.RegularExpressions;

namespace Smallstep.Pki.Storage.Migration;

/// <summary>
/// Hides the passwords of a DSN so it can be printed or logged: the password of a URL's or
/// go-sql-driver DSN's <c>user:password@</c> part, and every <c>...password=</c> parameter (libpq
/// key=value strings, URL query parameters such as <c>sslpassword</c>).
/// </summary>
public static partial class DataSourceNameRedaction
{
    private const string Mask = "***";

    /// <summary>The DSN with every password replaced by <c>***</c>.</summary>
    public static string Redact(string dataSourceName)
    {
        ArgumentNullException.ThrowIfNull(dataSourceName);
        var text = PasswordParameter().Replace(dataSourceName, m => m.Groups["name"].Value + Mask);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        int userInfoStart, userInfoEnd;
        if (scheme >= 0)
        {
            // URL: the authority ends at the first '/', '?' or '#'; user info ends at its last '@'.
            userInfoStart = scheme + 3;
            var authorityEnd = text.IndexOfAny(['/', '?', '#'], userInfoStart);
            userInfoEnd = text.LastIndexOf('@', (authorityEnd < 0 ? text.Length : authorityEnd) - 1, (authorityEnd < 0 ? text.Length : authorityEnd) - userInfoStart);
        }
        else
        {
            // go-sql-driver: the last '/' ends the address, the last '@' before it ends the user part.
            userInfoStart = 0;
            var slash = text.LastIndexOf('/');
            userInfoEnd = slash <= 0 ? -1 : text.LastIndexOf('@', slash - 1);
        }
        if (userInfoEnd < 0)
        {
            return text;
        }
        var colon = text.IndexOf(':', userInfoStart, userInfoEnd - userInfoStart);
        return colon < 0 ? text : text[..(colon + 1)] + Mask + text[userInfoEnd..];
    }

    // name=value with name ending in "password" (password, sslpassword, ...); value quoted or up to & or space.
    [GeneratedRegex(@"(?<name>\b[A-Za-z_]*password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^&\s]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordParameter();
}
