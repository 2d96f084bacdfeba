using System.Globalization;
using System.Security.Cryptography;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's arithmetic and conversions (Masterminds/sprig <c>numeric.go</c>, <c>functions.go</c>):
/// integer math on int64 with Go's wrap-around, arguments converted leniently by
/// <see cref="GoCast"/>; float functions; <c>until</c>/<c>untilStep</c>/<c>seq</c>, whose results
/// are bounded by <see cref="TemplateLimits.MaxOutputChars"/> elements before they are built.
/// </summary>
internal static class SprigMathFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> table)
    {
        table["add"] = (a, _) => a.Aggregate(0L, (sum, x) => unchecked(sum + GoCast.ToInt64(x)));
        table["add1"] = (a, _) => unchecked(GoCast.ToInt64(One("add1", a)) + 1);
        table["sub"] = (a, _) => Two("sub", a, (x, y) => unchecked(x - y));
        table["mul"] = (a, _) =>
        {
            FunctionArgs.AtLeast("mul", a, 1);
            return a.Skip(1).Aggregate(GoCast.ToInt64(a[0]), (product, x) => unchecked(product * GoCast.ToInt64(x)));
        };
        table["div"] = (a, _) => Two("div", a, (x, y) => y == 0 ? throw DivideByZero() : y == -1 ? unchecked(-x) : x / y);
        table["mod"] = (a, _) => Two("mod", a, (x, y) => y == 0 ? throw DivideByZero() : y == -1 ? 0 : x % y);
        table["max"] = table["biggest"] = (a, _) => Fold("max", a, Math.Max);
        table["min"] = (a, _) => Fold("min", a, Math.Min);
        table["maxf"] = (a, _) => FoldFloat("maxf", a, Math.Max);
        table["minf"] = (a, _) => FoldFloat("minf", a, Math.Min);
        table["floor"] = (a, _) => Math.Floor(GoCast.ToFloat64(One("floor", a)));
        table["ceil"] = (a, _) => Math.Ceiling(GoCast.ToFloat64(One("ceil", a)));
        table["round"] = (a, _) => Round(a);
        table["int"] = table["int64"] = (a, _) => GoCast.ToInt64(One("int", a));
        table["float64"] = (a, _) => GoCast.ToFloat64(One("float64", a));
        table["atoi"] = (a, _) =>
        {
            // strconv.Atoi: base 10 with sign; errors give 0.
            var s = FunctionArgs.String(One("atoi", a));
            return !s.Contains('_') && GoCast.TryParseInt(s, 10, out var n) ? n : 0L;
        };
        table["toDecimal"] = (a, _) =>
        {
            // Unix octal to decimal: strconv.ParseInt(fmt.Sprint(v), 8, 64), errors give 0.
            var text = GoFormatter.Format(One("toDecimal", a));
            return GoCast.TryParseInt(text, 8, out var n) ? n : 0L;
        };
        table["add1f"] = (a, _) => DecimalMath.Apply(One("add1f", a), [1L], DecimalMath.Operation.Add);
        table["addf"] = (a, _) => DecimalMath.Apply(0.0, a, DecimalMath.Operation.Add);
        table["subf"] = (a, _) => DecimalMath.Apply(First("subf", a), a[1..], DecimalMath.Operation.Subtract);
        table["mulf"] = (a, _) => DecimalMath.Apply(First("mulf", a), a[1..], DecimalMath.Operation.Multiply);
        table["divf"] = (a, _) => DecimalMath.Apply(First("divf", a), a[1..], DecimalMath.Operation.Divide);
        table["randInt"] = (a, _) =>
        {
            FunctionArgs.Count("randInt", a, 2);
            var (min, max) = (FunctionArgs.Int(a[0]), FunctionArgs.Int(a[1]));
            return max - min <= 0 ? throw new TemplateFunctionException("invalid argument to Intn") : min + RandomNumberGenerator.GetInt32(0, (int)Math.Min(max - min, int.MaxValue));
        };
        table["until"] = (a, c) =>
        {
            var count = FunctionArgs.Int(One("until", a));
            return Range("until", 0, count, count < 0 ? -1 : 1, c);
        };
        table["untilStep"] = (a, c) =>
        {
            FunctionArgs.Count("untilStep", a, 3);
            return Range("untilStep", FunctionArgs.Int(a[0]), FunctionArgs.Int(a[1]), FunctionArgs.Int(a[2]), c);
        };
        table["seq"] = (a, c) => Seq(a.Select(FunctionArgs.Int).ToArray(), c);
    }

    /// <summary>sprig's <c>untilStep</c>: start toward stop (exclusive) by step; the wrong sign or a zero step gives an empty list.</summary>
    private static List<object?> Range(string fn, long start, long stop, long step, FunctionContext context)
    {
        if (stop < start ? step >= 0 : step <= 0)
        {
            return [];
        }

        var count = (Int128)stop - start;
        count = (count + step + (step > 0 ? -1 : 1)) / step;
        context.EnsureSize(fn, (long)Int128.Min(count, long.MaxValue));
        var result = new List<object?>((int)count);
        for (var k = 0L; k < (long)count; k++)
        {
            result.Add(unchecked(start + k * step));
        }

        return result;
    }

    /// <summary>sprig's <c>seq</c>: like the Unix command, inclusive, space separated.</summary>
    private static string Seq(long[] p, FunctionContext context)
    {
        List<object?> values;
        switch (p.Length)
        {
            case 1:
                values = Range("seq", 1, p[0] < 1 ? p[0] - 1 : p[0] + 1, p[0] < 1 ? -1 : 1, context);
                break;
            case 2:
                var step = p[1] < p[0] ? -1 : 1;
                values = Range("seq", p[0], p[1] + step, step, context);
                break;
            case 3:
                var increment = p[2] < p[0] ? -1 : 1;
                if (p[2] < p[0] && p[1] > 0)
                {
                    return "";
                }

                values = Range("seq", p[0], p[2] + increment, p[1], context);
                break;
            default:
                return "";
        }

        context.EnsureSize("seq", values.Count * 21L);
        return string.Join(' ', values.Select(v => ((long)v!).ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>sprig's <c>round</c>: rounds up when the fraction at <c>places</c> reaches <c>roundOn</c> (default .5).</summary>
    private static double Round(object?[] a)
    {
        FunctionArgs.AtLeast("round", a, 2);
        var value = GoCast.ToFloat64(a[0]);
        var places = (double)FunctionArgs.Int(a[1]);
        var roundOn = a.Length > 2 ? Float(a[2]) : .5;
        var pow = Math.Pow(10, places);
        var digit = pow * value;
        var fraction = digit - Math.Truncate(digit);
        return (fraction >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit)) / pow;
    }

    private static double Float(object? value) => value switch
    {
        double d => d,
        long l => l,
        _ => throw new TemplateFunctionException($"wrong type for value; expected float64; got {GoValues.TypeName(value)}"),
    };

    private static TemplateFunctionException DivideByZero() => new("runtime error: integer divide by zero");

    private static object? One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return a[0];
    }

    private static object? First(string fn, object?[] a)
    {
        FunctionArgs.AtLeast(fn, a, 1);
        return a[0];
    }

    private static long Two(string fn, object?[] a, Func<long, long, long> op)
    {
        FunctionArgs.Count(fn, a, 2);
        return op(GoCast.ToInt64(a[0]), GoCast.ToInt64(a[1]));
    }

    private static long Fold(string fn, object?[] a, Func<long, long, long> op)
    {
        FunctionArgs.AtLeast(fn, a, 1);
        return a.Skip(1).Aggregate(GoCast.ToInt64(a[0]), (acc, x) => op(acc, GoCast.ToInt64(x)));
    }

    private static double FoldFloat(string fn, object?[] a, Func<double, double, double> op)
    {
        FunctionArgs.AtLeast(fn, a, 1);
        return a.Skip(1).Aggregate(GoCast.ToFloat64(a[0]), (acc, x) => op(acc, GoCast.ToFloat64(x)));
    }
}
