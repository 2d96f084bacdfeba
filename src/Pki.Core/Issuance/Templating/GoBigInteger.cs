using System.Numerics;

namespace Smallstep.Pki.Issuance.Templating;

/// <summary>Go's <c>big.Int.SetString(s, 0)</c>: optional sign, base prefix 0x/0o/0b or 0 (octal), underscores only with a prefix.</summary>
internal static class GoBigInteger
{
    private const int MaxDigits = 1024;

    public static bool TryParse(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (text.Length is 0 or > MaxDigits)
        {
            return false;
        }
        var negative = text[0] == '-';
        var digits = text[0] is '-' or '+' ? text[1..] : text;
        var radix = 10;
        if (digits.Length > 1 && digits[0] == '0')
        {
            (radix, digits) = char.ToLowerInvariant(digits[1]) switch
            {
                'x' => (16, digits[2..]),
                'o' => (8, digits[2..]),
                'b' => (2, digits[2..]),
                _ => (8, digits[1..]),
            };
            digits = digits.Replace("_", "", StringComparison.Ordinal);
        }
        if (digits.Length == 0)
        {
            return false;
        }
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : int.MaxValue;
            if (digit >= radix)
            {
                return false;
            }
            value = value * radix + digit;
        }
        if (negative)
        {
            value = -value;
        }
        return true;
    }
}
