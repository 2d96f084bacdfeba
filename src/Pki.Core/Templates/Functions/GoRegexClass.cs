using System.Globalization;
using System.Text;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>Go RE2 bracket classes, <c>\p</c> classes and single-character escapes, translated for .NET (see <see cref="GoRegexSyntax"/>).</summary>
internal static class GoRegexClass
{
    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ",
        ["cntrl"] = @"\x00-\x1F\x7F", ["digit"] = "0-9", ["graph"] = "!-~", ["lower"] = "a-z",
        ["print"] = " -~", ["punct"] = @"!-/:-@\[-`{-~", ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
        "Z", "Zl", "Zp", "Zs",
    };

    /// <summary>Parses <c>[...]</c> starting at <paramref name="pos"/> into a .NET class.</summary>
    public static string Parse(string pattern, ref int pos)
    {
        var start = pos;
        var sb = new StringBuilder("[");
        pos++;
        if (pos < pattern.Length && pattern[pos] == '^')
        {
            sb.Append('^');
            pos++;
        }

        var first = true;
        while (true)
        {
            if (pos >= pattern.Length)
            {
                throw GoRegexSyntax.Error("missing closing ]", pattern[start..]);
            }

            if (pattern[pos] == ']' && !first)
            {
                pos++;
                return sb.Append(']').ToString();
            }

            first = false;
            if (pattern.AsSpan(pos).StartsWith("[:"))
            {
                var end = pattern.IndexOf(":]", pos + 2, StringComparison.Ordinal);
                var name = end < 0 ? "" : pattern[(pos + 2)..end];
                if (end >= 0 && name.StartsWith('^') && Posix.ContainsKey(name[1..]))
                {
                    throw GoRegexSyntax.Error("unsupported negated POSIX class in brackets", pattern[pos..(end + 2)]);
                }

                if (end >= 0 && Posix.TryGetValue(name, out var ranges))
                {
                    sb.Append(ranges);
                    pos = end + 2;
                    continue;
                }

                if (end >= 0 && name.All(char.IsAsciiLetter))
                {
                    throw GoRegexSyntax.Error("invalid character class range", pattern[pos..(end + 2)]);
                }
            }

            if (pattern[pos] == '\\' && pos + 1 < pattern.Length && pattern[pos + 1] is 'd' or 'w' or 's' or 'D' or 'W' or 'S')
            {
                sb.Append(pattern[pos + 1] switch
                {
                    'd' => "0-9",
                    'w' => "0-9A-Za-z_",
                    's' => @"\t\n\f\r ",
                    _ => throw GoRegexSyntax.Error("unsupported negated class in brackets", pattern[pos..(pos + 2)]),
                });
                pos += 2;
                continue;
            }

            if (pattern[pos] == '\\' && pos + 1 < pattern.Length && pattern[pos + 1] is 'p' or 'P')
            {
                sb.Append(UnicodeClass(pattern, ref pos, inClass: true));
                continue;
            }

            var rangeStart = pos;
            var low = ClassChar(pattern, ref pos);
            if (pos + 1 < pattern.Length && pattern[pos] == '-' && pattern[pos + 1] != ']')
            {
                pos++;
                var high = ClassChar(pattern, ref pos);
                if (high < low)
                {
                    throw GoRegexSyntax.Error("invalid character class range", pattern[rangeStart..pos]);
                }

                sb.Append(Escaped(low)).Append('-').Append(Escaped(high));
            }
            else
            {
                sb.Append(Escaped(low));
            }
        }
    }

    /// <summary><c>\pL</c>, <c>\p{Lu}</c>, <c>\PL</c>, <c>\p{^L}</c>: Unicode general categories (and <c>Any</c>).</summary>
    public static string UnicodeClass(string pattern, ref int pos, bool inClass)
    {
        var start = pos;
        var negated = pattern[pos + 1] == 'P';
        pos += 2;
        string name;
        if (pos < pattern.Length && pattern[pos] == '{')
        {
            var end = pattern.IndexOf('}', pos);
            if (end < 0)
            {
                throw GoRegexSyntax.Error("invalid character class range", pattern[start..]);
            }

            name = pattern[(pos + 1)..end];
            pos = end + 1;
        }
        else if (pos < pattern.Length)
        {
            name = pattern[pos].ToString();
            pos++;
        }
        else
        {
            throw GoRegexSyntax.Error("invalid character class range", pattern[start..]);
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        if (name == "Any")
        {
            return negated
                ? throw GoRegexSyntax.Error("unsupported class", pattern[start..pos])
                : inClass ? @"\s\S" : @"[\s\S]";
        }

        if (!Categories.Contains(name))
        {
            throw GoRegexSyntax.Error("invalid character class range (Unicode scripts are not supported)", pattern[start..pos]);
        }

        return (negated ? @"\P{" : @"\p{") + name + "}";
    }

    /// <summary>One literal character in a class: an escape or any other code point.</summary>
    private static int ClassChar(string pattern, ref int pos)
    {
        if (pattern[pos] == '\\')
        {
            return EscapedChar(pattern, ref pos);
        }

        var rune = Rune.GetRuneAt(pattern, pos);
        pos += rune.Utf16SequenceLength;
        return rune.Value;
    }

    /// <summary>A backslash escape that stands for one character: <c>\n \t \x41 \x{263a} \012</c> or escaped punctuation.</summary>
    public static int EscapedChar(string pattern, ref int pos)
    {
        var start = pos;
        if (pos + 1 >= pattern.Length)
        {
            throw GoRegexSyntax.Error("trailing backslash at end of expression", "");
        }

        var c = pattern[pos + 1];
        pos += 2;
        switch (c)
        {
            case 'a':
                return 7;
            case 'f':
                return '\f';
            case 't':
                return '\t';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 'v':
                return '\v';
            case >= '1' and <= '7' when pos < pattern.Length && pattern[pos] is >= '0' and <= '7':
            case '0':
                // Octal: up to three digits; a lone \1-\7 would be a back-reference, which RE2 lacks.
                var value = c - '0';
                for (var i = 0; i < 2 && pos < pattern.Length && pattern[pos] is >= '0' and <= '7'; i++)
                {
                    value = value * 8 + (pattern[pos++] - '0');
                }

                return value;
            case 'x':
                return HexEscape(pattern, ref pos, start);
            case < (char)0x80 when !char.IsAsciiLetterOrDigit(c):
                return c;
            default:
                throw GoRegexSyntax.Error("invalid escape sequence", pattern[start..Math.Min(pos, pattern.Length)]);
        }
    }

    private static int HexEscape(string pattern, ref int pos, int start)
    {
        string digits;
        if (pos < pattern.Length && pattern[pos] == '{')
        {
            var end = pattern.IndexOf('}', pos);
            digits = end < 0 ? "" : pattern[(pos + 1)..end];
            pos = end < 0 ? pattern.Length : end + 1;
        }
        else
        {
            digits = pos + 2 <= pattern.Length ? pattern[pos..(pos + 2)] : "";
            pos += 2;
        }

        if (digits.Length == 0 || digits.Length > 8 || !digits.All(char.IsAsciiHexDigit)
            || !int.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) || value > 0x10FFFF)
        {
            throw GoRegexSyntax.Error("invalid escape sequence", pattern[start..Math.Min(pos, pattern.Length)]);
        }

        return value;
    }

    private static string Escaped(int codePoint) =>
        codePoint < 0x10000
            ? "\\u" + codePoint.ToString("X4", CultureInfo.InvariantCulture)
            : throw GoRegexSyntax.Error("unsupported character outside the Basic Multilingual Plane in brackets", char.ConvertFromUtf32(codePoint));
}
