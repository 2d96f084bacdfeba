using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Smallstep.Pki.Errors;

namespace Smallstep.Pki.Authority;

/// <summary>Serial numbers as step-ca stores them: decimal strings.</summary>
public static class SerialNumberText
{
    /// <summary>The decimal serial of a certificate.</summary>
    public static string FromCertificate(X509Certificate2 certificate) =>
        new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses a serial with Go's <c>big.Int.SetString(s, 0)</c> base detection (<c>0x</c> hex,
    /// <c>0b</c> binary, <c>0o</c> or leading <c>0</c> octal, else decimal; <c>_</c> separators
    /// allowed between digits) and returns it in decimal. Throws a 400 otherwise.
    /// </summary>
    public static string ToDecimal(string? text)
    {
        if (TryParse(text, out var value) && value.Sign >= 0)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }
        throw PkiException.BadRequest($"'{text}' is not a valid serial number - use a base 10 representation or a base 16 representation with '0x' prefix");
    }

    private static bool TryParse(string? text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }
        var s = text.AsSpan();
        var negative = s[0] == '-';
        if (s[0] is '+' or '-')
        {
            s = s[1..];
        }
        var radix = 10;
        if (s.Length > 1 && s[0] == '0')
        {
            radix = char.ToLowerInvariant(s[1]) switch
            {
                'x' => 16,
                'b' => 2,
                _ => 8,
            };
            s = s[(char.ToLowerInvariant(s[1]) is 'x' or 'b' or 'o' ? 2 : 1)..];
        }
        if (s.IsEmpty || s[0] == '_' || s[^1] == '_')
        {
            return false;
        }
        var previousUnderscore = false;
        foreach (var c in s)
        {
            if (c == '_')
            {
                if (previousUnderscore)
                {
                    return false;
                }
                previousUnderscore = true;
                continue;
            }
            previousUnderscore = false;
            var digit = HexDigit(c);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }
            value = value * radix + digit;
        }
        value = negative ? -value : value;
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
