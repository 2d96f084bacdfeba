using System.Globalization;

namespace Smallstep.Pki.Templates.Parsing;

/// <summary>Go numeric literals: decimal, 0x, 0o, 0b, legacy 0-octal, underscores, floats.</summary>
internal static class GoNumbers
{
    /// <summary>The value as long or double, or null when the literal is not a Go number.</summary>
    public static object? Parse(string literal)
    {
        var s = literal.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (s.Length == 0)
        {
            return null;
        }

        var (radix, digits) = s.Length > 1 && s[0] == '0' ? char.ToLowerInvariant(s[1]) switch
        {
            'x' => (16, s[2..]),
            'o' => (8, s[2..]),
            'b' => (2, s[2..]),
            _ => s.All(char.IsAsciiDigit) ? (8, s[1..]) : (10, s),
        } : (10, s);

        if (digits.Length > 0 && TryParseInteger(digits, radix, out var integer))
        {
            return negative ? -integer : integer;
        }

        if (radix == 10 && s.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return negative ? -d : d;
        }

        return null;
    }

    private static bool TryParseInteger(string digits, int radix, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }

            try
            {
                value = checked((value * radix) + digit);
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return true;
    }
}
