using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Templates.Parsing;

/// <summary>Go string-literal escapes (the Go spec, "Rune literals"), as strconv.Unquote reads them.</summary>
internal static class GoEscapes
{
    /// <summary>Reads one escape; <paramref name="pos"/> is just after the backslash.</summary>
    public static bool TryUnescape(string text, ref int pos, char quote, StringBuilder sb)
    {
        if (pos >= text.Length)
        {
            return false;
        }

        var c = text[pos++];
        switch (c)
        {
            case 'a': sb.Append('\a'); return true;
            case 'b': sb.Append('\b'); return true;
            case 'f': sb.Append('\f'); return true;
            case 'n': sb.Append('\n'); return true;
            case 'r': sb.Append('\r'); return true;
            case 't': sb.Append('\t'); return true;
            case 'v': sb.Append('\v'); return true;
            case '\\': sb.Append('\\'); return true;
            case 'x': return TryHex(text, ref pos, 2, sb);
            case 'u': return TryHex(text, ref pos, 4, sb);
            case 'U': return TryHex(text, ref pos, 8, sb);
            case >= '0' and <= '7':
                if (pos + 2 > text.Length || !IsOctal(text[pos]) || !IsOctal(text[pos + 1]))
                {
                    return false;
                }

                var octal = ((c - '0') * 64) + ((text[pos] - '0') * 8) + (text[pos + 1] - '0');
                pos += 2;
                if (octal > 255)
                {
                    return false;
                }

                sb.Append((char)octal);
                return true;
            default:
                if (c != quote)
                {
                    return false;
                }

                sb.Append(c);
                return true;
        }
    }

    private static bool TryHex(string text, ref int pos, int digits, StringBuilder sb)
    {
        if (pos + digits > text.Length
            || !int.TryParse(text.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || !Rune.IsValid(value))
        {
            return false;
        }

        pos += digits;
        sb.Append(new Rune(value).ToString());
        return true;
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
