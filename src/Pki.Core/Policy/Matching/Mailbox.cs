using System.Text;

namespace Smallstep.Pki.Policy.Matching;

/// <summary>
/// An email address split into local part and domain, parsed as an RFC 2821 §4.1.2 "Mailbox"
/// (which RFC 5280 §4.2.1.6 prescribes for rfc822Name), with the leniencies of Go's crypto/x509
/// <c>parseRFC2821Mailbox</c> that step-ca copies: quoted local parts, backslash escapes, a space in
/// quoted strings; the domain is anything that passes the label check.
/// </summary>
/// <param name="Local">The local part, unquoted and unescaped.</param>
/// <param name="Domain">The domain part as written.</param>
internal readonly record struct Mailbox(string Local, string Domain)
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a mailbox.</summary>
    public static bool TryParse(string text, out Mailbox mailbox)
    {
        mailbox = default;
        if (text.Length == 0)
        {
            return false;
        }
        var local = new StringBuilder(text.Length);
        var i = text[0] == '"' ? ReadQuoted(text, local) : ReadAtoms(text, local);
        if (i < 0 || i >= text.Length || text[i] != '@')
        {
            return false;
        }
        var domain = text[(i + 1)..];
        if (!DomainName.HasValidLabels(domain))
        {
            return false;
        }
        mailbox = new Mailbox(local.ToString(), domain);
        return true;
    }

    // Quoted-string = DQUOTE *qcontent DQUOTE; returns the index after the closing quote or -1.
    private static int ReadQuoted(string text, StringBuilder local)
    {
        var i = 1;
        while (true)
        {
            if (i >= text.Length)
            {
                return -1;
            }
            var c = text[i++];
            if (c == '"')
            {
                return i;
            }
            if (c == '\\')
            {
                // quoted-pair: any text character except NUL, LF and CR.
                if (i >= text.Length || text[i] is '\0' or '\n' or '\r' or > (char)127)
                {
                    return -1;
                }
                local.Append(text[i++]);
            }
            else if (c is (>= (char)1 and <= (char)8) or (char)11 or (char)12 or (>= (char)14 and <= (char)33) or (>= (char)35 and <= (char)91) or (>= (char)93 and <= (char)127))
            {
                // qtext, plus the space that RFC 3696's examples use.
                local.Append(c);
            }
            else
            {
                return -1;
            }
        }
    }

    // Atom *("." Atom) with RFC 2822 §3.2.4 atext and backslash escapes; returns the index of the
    // first character after the local part, or -1 when the local part is invalid.
    private static int ReadAtoms(string text, StringBuilder local)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                // RFC 3696 suggests escapes outside quoted strings: Go takes the next byte as is
                // (a non-ASCII character then fails, as its UTF-8 continuation bytes are not atext).
                i++;
                if (i >= text.Length || text[i] > (char)127)
                {
                    return -1;
                }
                local.Append(text[i++]);
                continue;
            }
            if (!IsAtext(c))
            {
                break;
            }
            local.Append(c);
            i++;
        }
        // RFC 3696 §3: no leading, trailing or doubled period.
        if (local.Length == 0 || local[0] == '.' || local[^1] == '.' || local.ToString().Contains("..", StringComparison.Ordinal))
        {
            return -1;
        }
        return i;
    }

    private static bool IsAtext(char c) => char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+'
        or '-' or '/' or '=' or '?' or '^' or '_' or '`' or '{' or '|' or '}' or '~' or '.';
}
