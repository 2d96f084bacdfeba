using System.Globalization;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// spf13/cast's lenient conversions as sprig uses them (<c>cast.ToInt64</c>, <c>cast.ToFloat64</c>,
/// v1.7): numbers convert (floats truncate), booleans are 0/1, nil is 0, strings parse with Go's
/// base prefixes (<c>0x1f</c>, <c>0o17</c>, <c>0b101</c>, a leading 0 for octal) after dropping a
/// zero fraction (<c>"12.00"</c>); anything else is 0.
/// </summary>
internal static class GoCast
{
    public static long ToInt64(object? value) => value switch
    {
        long l => l,
        double d => StepTimeFunctions.TruncateToLong(d),
        bool b => b ? 1 : 0,
        string s => TryParseInt(TrimZeroDecimal(s), 0, out var v) ? v : 0,
        _ => 0,
    };

    public static double ToFloat64(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        string s => TryParseFloat(s, out var v) ? v : 0,
        _ => 0,
    };

    /// <summary>Go's <c>strconv.ParseInt(s, base, 64)</c>; base 0 reads the prefix and allows underscores between digits.</summary>
    public static bool TryParseInt(string s, int numberBase, out long value)
    {
        value = 0;
        var negative = s.StartsWith('-');
        var body = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        var underscores = false;
        if (numberBase == 0)
        {
            numberBase = 10;
            underscores = true;
            if (body.Length > 1 && body[0] == '0')
            {
                (numberBase, body) = char.ToLowerInvariant(body[1]) switch
                {
                    'x' => (16, body[2..]),
                    'o' => (8, body[2..]),
                    'b' => (2, body[2..]),
                    _ => (8, body[1..]),
                };
            }
        }

        if (body.Length == 0 || body.EndsWith('_') || body.Contains("__", StringComparison.Ordinal) || (!underscores && body.Contains('_')))
        {
            return false;
        }

        ulong magnitude = 0;
        foreach (var c in body)
        {
            if (c == '_')
            {
                continue;
            }

            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= numberBase || magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)numberBase)
            {
                return false;
            }

            magnitude = magnitude * (ulong)numberBase + (ulong)digit;
        }

        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> for decimal and exponent forms, <c>inf</c> and <c>nan</c>.</summary>
    public static bool TryParseFloat(string s, out double value)
    {
        var lower = s.ToLowerInvariant();
        var unsigned = lower.TrimStart('+', '-');
        if (unsigned is "inf" or "infinity" or "nan" && lower.Length - unsigned.Length <= 1)
        {
            value = unsigned == "nan" ? double.NaN : lower.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && s.Length > 0 && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1]);
    }

    /// <summary>cast's <c>trimZeroDecimal</c>: <c>"12.000"</c> becomes <c>"12"</c>; anything else is unchanged.</summary>
    private static string TrimZeroDecimal(string s)
    {
        var foundZero = false;
        for (var i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    return foundZero ? s[..(i - 1)] : s;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }

        return s;
    }
}
