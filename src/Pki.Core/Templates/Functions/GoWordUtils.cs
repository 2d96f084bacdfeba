using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// The Masterminds/goutils and Go <c>strings</c> routines behind sprig's <c>title untitle
/// nospace initials abbrev abbrevboth wrap wrapWith swapcase</c>. goutils works on bytes in
/// several places (<c>nospace</c>, <c>initials</c>, <c>abbrev</c>, <c>wrap</c>), so those run
/// on UTF-8 bytes here as well and give Go's results, including for non-ASCII text.
/// </summary>
internal static class GoWordUtils
{
    /// <summary>Go's <c>strings.Title</c>: the first letter after a separator is upper-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previous = new Rune(' ');
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(IsSeparator(previous) ? Rune.ToUpperInvariant(rune).ToString() : rune.ToString());
            previous = rune;
        }

        return sb.ToString();
    }

    /// <summary>goutils <c>Uncapitalize</c>: the first letter after whitespace is lower-cased.</summary>
    public static string Uncapitalize(string s)
    {
        var sb = new StringBuilder(s.Length);
        var next = true;
        foreach (var rune in s.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                next = true;
                sb.Append(rune.ToString());
            }
            else
            {
                sb.Append((next ? Rune.ToLowerInvariant(rune) : rune).ToString());
                next = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>goutils <c>SwapCase</c>: upper to lower, lower to upper except title case after whitespace.</summary>
    public static string SwapCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        var whitespace = true;
        foreach (var rune in s.EnumerateRunes())
        {
            var result = rune;
            if (Rune.IsUpper(rune) || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.TitlecaseLetter)
            {
                result = Rune.ToLowerInvariant(rune);
                whitespace = false;
            }
            else if (Rune.IsLower(rune))
            {
                result = Rune.ToUpperInvariant(rune);
                whitespace = false;
            }
            else
            {
                whitespace = Rune.IsWhiteSpace(rune);
            }

            sb.Append(result.ToString());
        }

        return sb.ToString();
    }

    /// <summary>goutils <c>DeleteWhiteSpace</c>, byte by byte as goutils does.</summary>
    public static string DeleteWhiteSpace(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var kept = bytes.Where(b => !IsSpaceByte(b)).ToArray();
        return kept.Length == bytes.Length ? s : Latin1(kept);
    }

    /// <summary>goutils <c>Initials</c>: the first byte after each whitespace byte.</summary>
    public static string Initials(string s)
    {
        var result = new List<byte>();
        var lastWasGap = true;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (IsSpaceByte(b))
            {
                lastWasGap = true;
            }
            else if (lastWasGap)
            {
                result.Add(b);
                lastWasGap = false;
            }
        }

        return Latin1(result.ToArray());
    }

    /// <summary>goutils <c>AbbreviateFull</c> (byte offsets); null where goutils returns an error.</summary>
    public static string? Abbreviate(string s, int offset, int maxWidth)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        string Slice(int start, int end) => Encoding.UTF8.GetString(bytes, start, end - start);
        if (bytes.Length == 0)
        {
            return "";
        }

        if (maxWidth < 4)
        {
            return null;
        }

        if (bytes.Length <= maxWidth)
        {
            return s;
        }

        offset = Math.Min(offset, bytes.Length);
        if (bytes.Length - offset < maxWidth - 3)
        {
            offset = bytes.Length - (maxWidth - 3);
        }

        if (offset <= 4)
        {
            return Slice(0, maxWidth - 3) + "...";
        }

        if (maxWidth < 7)
        {
            return null;
        }

        return offset + maxWidth - 3 < bytes.Length
            ? "..." + Abbreviate(Slice(offset, bytes.Length), 0, maxWidth - 3)
            : "..." + Slice(bytes.Length - (maxWidth - 3), bytes.Length);
    }

    /// <summary>goutils <c>WrapCustom</c> (byte offsets, breaking at spaces).</summary>
    public static string Wrap(string s, int wrapLength, string newLine, bool wrapLongWords)
    {
        if (s.Length == 0)
        {
            return "";
        }

        newLine = newLine.Length == 0 ? "\n" : newLine;
        wrapLength = Math.Max(wrapLength, 1);
        var bytes = Encoding.UTF8.GetBytes(s);
        var separator = Encoding.UTF8.GetBytes(newLine);
        var output = new List<byte>(bytes.Length);
        var offset = 0;
        while (bytes.Length - offset > wrapLength)
        {
            if (bytes[offset] == ' ')
            {
                offset++;
                continue;
            }

            var space = Array.LastIndexOf(bytes, (byte)' ', offset + wrapLength, wrapLength + 1);
            if (space >= offset)
            {
                output.AddRange(bytes[offset..space]);
                output.AddRange(separator);
                offset = space + 1;
            }
            else if (wrapLongWords)
            {
                output.AddRange(bytes[offset..(offset + wrapLength)]);
                output.AddRange(separator);
                offset += wrapLength;
            }
            else
            {
                var next = Array.IndexOf(bytes, (byte)' ', offset + wrapLength);
                if (next < 0)
                {
                    output.AddRange(bytes[offset..]);
                    offset = bytes.Length;
                }
                else
                {
                    output.AddRange(bytes[offset..next]);
                    output.AddRange(separator);
                    offset = next + 1;
                }
            }
        }

        output.AddRange(bytes[offset..]);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Go's <c>strings.Title</c> separator test.</summary>
    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        }

        return !(Rune.IsLetter(r) || Rune.IsDigit(r)) && Rune.IsWhiteSpace(r);
    }

    /// <summary>Go's <c>unicode.IsSpace(rune(b))</c> for a single byte.</summary>
    private static bool IsSpaceByte(byte b) => b is (>= 9 and <= 13) or 32 or 0x85 or 0xA0;

    /// <summary>Go's <c>WriteRune(rune(b))</c> for each byte: bytes above 0x7F become U+0080-U+00FF.</summary>
    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
