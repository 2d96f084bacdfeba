using System.Globalization;
using System.Text;
using Smallstep.Pki.Go;

namespace Smallstep.Pki.Templates.Execution;

/// <summary>Go's <c>fmt</c> <c>%v</c> rendering of model values and <c>strconv.Quote</c>.</summary>
internal static class GoFormatter
{
    private const int MaxDepth = 64;

    /// <summary>Formats like <c>fmt.Sprint</c> of one value: lists as <c>[a b]</c>, maps as <c>map[k:v]</c> in key order.</summary>
    public static string Format(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateFunctionException($"value nests deeper than {MaxDepth} levels");
        }

        switch (value)
        {
            case null:
                sb.Append("<nil>");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(FormatFloat(d));
                break;
            case string s:
                sb.Append(s);
                break;
            case IReadOnlyList<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }

                    Append(sb, list[i], depth + 1);
                }

                sb.Append(']');
                break;
            case IReadOnlyDictionary<string, object?> map:
                sb.Append("map[");
                var first = true;
                foreach (var key in SortedKeys(map))
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }

                    first = false;
                    sb.Append(key).Append(':');
                    Append(sb, map[key], depth + 1);
                }

                sb.Append(']');
                break;
            case TemplateTypedValue t:
                Append(sb, t.Value, depth + 1);
                break;
            case TemplateStruct s:
                // fmt %v of a struct: {field1 field2 ...}, every field including json:"-" ones.
                sb.Append('{');
                for (var i = 0; i < s.Fields.Count; i++)
                {
                    sb.Append(i > 0 ? " " : "");
                    Append(sb, s.Fields[i].Value, depth + 1);
                }

                sb.Append('}');
                break;
            case GoTime time:
                // fmt's %v uses the Stringer: Go's Time.String().
                sb.Append(time);
                break;
            default:
                sb.Append(value == GoValues.NoValue ? "<no value>" : "<invalid>");
                break;
        }
    }

    /// <summary>Map keys in Go's order (fmt and encoding/json sort string keys bytewise).</summary>
    public static IEnumerable<string> SortedKeys(IReadOnlyDictionary<string, object?> map) =>
        map.Keys.Order(StringComparer.Ordinal);

    /// <summary>
    /// Shortest round-trip digits of a float64 in Go's layout. The defaults are <c>%v</c>
    /// (strconv 'g' with shortest precision: exponent form when exp &lt; -4 or exp &gt;= 6, e.g.
    /// <c>1e+06</c>); encoding/json passes -6, 21 and "0" (<c>1e+21</c>, <c>1e-7</c>).
    /// </summary>
    public static string FormatFloat(double d, int lowExponent = -4, int highExponent = 6, string exponentDigits = "00")
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        // .NET's "R" is the shortest round-trip representation, as Go's shortest formatting.
        var roundTrip = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(roundTrip);
        var sign = d < 0 ? "-" : "";

        // strconv/ftoa.go: "%e is used if the exponent ... is less than -4 or greater than or
        // equal to the precision. if precision was the shortest possible, use precision 6".
        if (exponent < lowExponent || exponent >= highExponent)
        {
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            var expSign = exponent < 0 ? "-" : "+";
            return sign + mantissa + "e" + expSign + Math.Abs(exponent).ToString(exponentDigits, CultureInfo.InvariantCulture);
        }

        if (exponent < 0)
        {
            return sign + "0." + new string('0', -exponent - 1) + digits;
        }

        return digits.Length <= exponent + 1
            ? sign + digits + new string('0', exponent + 1 - digits.Length)
            : sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var ePos = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? roundTrip : roundTrip[..ePos];
        var exp = ePos < 0 ? 0 : int.Parse(roundTrip[(ePos + 1)..], CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var all = intPart + (dot < 0 ? "" : mantissa[(dot + 1)..]);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits.Length == 0 ? "0" : digits, exp + intPart.Length - 1 - leading);
    }

    /// <summary>Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                _ when c < 0x20 || c == 0x7f => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
