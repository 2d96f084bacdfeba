using System.Text;

namespace Smallstep.Pki.Go;

/// <summary>The lexical pieces of Go's time parsing (time/format.go <c>skip getnum getnum3 atoi parseNanoseconds parseTimeZone quote</c>).</summary>
internal static partial class GoTimeParser
{
    /// <summary>Go's <c>skip</c>: matches a literal prefix, treating runs of spaces as equivalent.</summary>
    private static bool Skip(ref string value, string prefix)
    {
        var p = 0;
        while (p < prefix.Length)
        {
            if (prefix[p] == ' ')
            {
                if (value.Length > 0 && value[0] != ' ')
                {
                    return false;
                }

                while (p < prefix.Length && prefix[p] == ' ')
                {
                    p++;
                }

                value = value.TrimStart(' ');
                continue;
            }

            if (value.Length == 0 || value[0] != prefix[p])
            {
                return false;
            }

            p++;
            value = value[1..];
        }

        return true;
    }

    private static bool Lookup(string[] table, ref string value, out int index)
    {
        for (index = 0; index < table.Length; index++)
        {
            var name = table[index];
            if (value.Length >= name.Length && string.Equals(value[..name.Length], name, StringComparison.OrdinalIgnoreCase)
                && value[..name.Length].All(char.IsAscii))
            {
                value = value[name.Length..];
                return true;
            }
        }

        index = -1;
        return false;
    }

    internal static bool IsDigit(string s, int i) => i < s.Length && char.IsAsciiDigit(s[i]);

    /// <summary>Go's <c>getnum</c>: one or two digits (exactly two when <paramref name="fixedWidth"/>).</summary>
    internal static bool GetNum(ref string s, bool fixedWidth, out int n)
    {
        n = 0;
        if (!IsDigit(s, 0))
        {
            return false;
        }

        if (!IsDigit(s, 1))
        {
            if (fixedWidth)
            {
                return false;
            }

            n = s[0] - '0';
            s = s[1..];
            return true;
        }

        n = (s[0] - '0') * 10 + (s[1] - '0');
        s = s[2..];
        return true;
    }

    private static bool GetNum3(ref string s, bool fixedWidth, out int n)
    {
        n = 0;
        var i = 0;
        for (; i < 3 && IsDigit(s, i); i++)
        {
            n = n * 10 + (s[i] - '0');
        }

        if (i == 0 || (fixedWidth && i != 3))
        {
            return false;
        }

        s = s[i..];
        return true;
    }

    /// <summary>Go's time-package <c>atoi</c>: optional sign and digits only.</summary>
    internal static bool TryAtoi(string s, out long value)
    {
        value = 0;
        var negative = s.StartsWith('-');
        var digits = s.Length > 0 && s[0] is '-' or '+' ? s[1..] : s;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c) || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        value = negative ? -value : value;
        return true;
    }

    private static bool ParseNanoseconds(string value, int length, out int nanoseconds, out string? rangeError)
    {
        nanoseconds = 0;
        rangeError = null;
        if (value[0] is not ('.' or ','))
        {
            return false;
        }

        length = Math.Min(length, 10);
        if (!TryAtoi(value[1..length], out var ns))
        {
            return false;
        }

        if (ns < 0)
        {
            rangeError = "fractional second";
            return true;
        }

        for (var i = 0; i < 10 - length; i++)
        {
            ns *= 10;
        }

        nanoseconds = (int)ns;
        return true;
    }

    /// <summary>Go's <c>parseTimeZone</c>: the length of a zone abbreviation at the start of the value, 0 if none.</summary>
    private static int ParseTimeZone(string value)
    {
        if (value.Length < 3)
        {
            return 0;
        }

        if (value.StartsWith("ChST", StringComparison.Ordinal) || value.StartsWith("MeST", StringComparison.Ordinal))
        {
            return 4;
        }

        if (value.StartsWith("GMT", StringComparison.Ordinal))
        {
            return value.Length == 3 ? 3 : 3 + ParseSignedOffset(value[3..]);
        }

        if (value[0] is '+' or '-')
        {
            return ParseSignedOffset(value);
        }

        var upper = 0;
        while (upper < 6 && upper < value.Length && value[upper] is >= 'A' and <= 'Z')
        {
            upper++;
        }

        return upper switch
        {
            3 => 3,
            4 when value[3] == 'T' || value.StartsWith("WITA", StringComparison.Ordinal) => 4,
            5 when value[4] == 'T' => 5,
            _ => 0,
        };
    }

    /// <summary>Go's <c>parseSignedOffset</c>: "+hh"/"-hh" up to 23, returning its length or 0.</summary>
    private static int ParseSignedOffset(string value)
    {
        if (value.Length == 0 || value[0] is not ('+' or '-'))
        {
            return 0;
        }

        var i = 1;
        long x = 0;
        while (i < value.Length && char.IsAsciiDigit(value[i]) && x <= 23)
        {
            x = x * 10 + (value[i] - '0');
            i++;
        }

        return i == 1 || x > 23 ? 0 : i;
    }

    private static GoTimeParseException Error(string layout, string value, string layoutElement, string valueElement) =>
        new($"parsing time {Quote(value)} as {Quote(layout)}: cannot parse {Quote(valueElement)} as {Quote(layoutElement)}");

    /// <summary>The time package's <c>quote</c>: non-ASCII and control bytes as <c>\x</c> escapes.</summary>
    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in s.EnumerateRunes())
        {
            if (rune.Value >= 0x80 || rune.Value < ' ')
            {
                var n = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..n])
                {
                    sb.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb.Append(rune.Value is '"' or '\\' ? "\\" : "").Append((char)rune.Value);
            }
        }

        return sb.Append('"').ToString();
    }
}
