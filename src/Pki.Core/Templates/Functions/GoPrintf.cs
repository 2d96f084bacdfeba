using System.Globalization;
using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// The subset of Go's fmt.Sprintf templates use: verbs <c>%v %s %d %q %x %X %t %f %e %g %c %%</c>,
/// flags <c>- + 0</c>, width and precision; bad verbs print Go's <c>%!v(type=value)</c> forms.
/// </summary>
internal static class GoPrintf
{
    private const int MaxWidth = 4096;

    public static string Format(string format, object?[] args)
    {
        var sb = new StringBuilder();
        var argIndex = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var minus = false;
            var plus = false;
            var zero = false;
            while (++i < format.Length && format[i] is '-' or '+' or '0' or ' ' or '#')
            {
                minus |= format[i] == '-';
                plus |= format[i] == '+';
                zero |= format[i] == '0';
            }

            var width = ReadNumber(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumber(format, ref i) ?? 0;
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            var verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argIndex >= args.Length)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var text = FormatOne(verb, args[argIndex++], precision, plus);
            sb.Append(Pad(text, width ?? 0, minus, zero && !minus && verb is not ('s' or 'q' or 'v' or 't')));
        }

        if (argIndex < args.Length)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(argIndex).Select(a => GoValues.TypeName(a) + "=" + GoFormatter.Format(a)));
            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int? ReadNumber(string format, ref int i)
    {
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        if (i == start)
        {
            return null;
        }

        return int.TryParse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture, out var n) && n <= MaxWidth
            ? n
            : throw new TemplateFunctionException($"printf width or precision above {MaxWidth}");
    }

    private static string FormatOne(char verb, object? arg, int? precision, bool plus)
    {
        var inv = CultureInfo.InvariantCulture;
        var sign = plus ? "+" : "";
        string? result = (verb, arg) switch
        {
            ('v', _) => GoFormatter.Format(arg),
            ('s', string s) => precision is { } p && p < s.Length ? s[..p] : s,
            ('s', not null) when arg is not (long or double or bool) => GoFormatter.Format(arg),
            ('q', string s) => GoFormatter.Quote(s),
            ('d', long l) => (l >= 0 ? sign : "") + l.ToString(inv),
            ('x', long l) => l < 0 ? "-" + (-l).ToString("x", inv) : l.ToString("x", inv),
            ('X', long l) => l < 0 ? "-" + (-l).ToString("X", inv) : l.ToString("X", inv),
            ('x', string s) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s)),
            ('X', string s) => Convert.ToHexString(Encoding.UTF8.GetBytes(s)),
            ('c', long l) when l is >= 0 and <= 0x10FFFF && Rune.IsValid((int)l) => new Rune((int)l).ToString(),
            ('t', bool b) => b ? "true" : "false",
            ('f' or 'F', double d) => (d >= 0 ? sign : "") + d.ToString("F" + (precision ?? 6), inv),
            ('e', double d) => (d >= 0 ? sign : "") + GoExponent(d, precision ?? 6),
            ('g', double d) => (d >= 0 ? sign : "") + GoFormatter.FormatFloat(d),
            _ => null,
        };
        return result ?? (arg is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValues.TypeName(arg)}={GoFormatter.Format(arg)})");
    }

    private static string GoExponent(double d, int precision)
    {
        var s = d.ToString("E" + precision, CultureInfo.InvariantCulture);
        var e = s.IndexOf('E');
        var exponent = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return s[..e] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string Pad(string text, int width, bool left, bool zero)
    {
        if (text.Length >= width)
        {
            return text;
        }

        if (left)
        {
            return text.PadRight(width);
        }

        if (zero && text.StartsWith('-'))
        {
            return "-" + text[1..].PadLeft(width - 1, '0');
        }

        return text.PadLeft(width, zero ? '0' : ' ');
    }
}
