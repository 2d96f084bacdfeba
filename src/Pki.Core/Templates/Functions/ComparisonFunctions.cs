using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// <c>eq ne lt le gt ge</c> (Go's <c>funcs.go</c>): basic types only; <c>eq</c> with several
/// arguments is true when the first equals any other. Unlike Go, long and double compare
/// numerically, because JSON input gives either (documented deviation).
/// </summary>
internal static class ComparisonFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["eq"] = a =>
        {
            FunctionArgs.AtLeast("eq", a, 2);
            return a.Skip(1).Any(b => Equal(a[0], b));
        };
        table["ne"] = a =>
        {
            FunctionArgs.Count("ne", a, 2);
            return !Equal(a[0], a[1]);
        };
        table["lt"] = a => Compare("lt", a) < 0;
        table["le"] = a => Compare("le", a) <= 0;
        table["gt"] = a => Compare("gt", a) > 0;
        table["ge"] = a => Compare("ge", a) >= 0;
    }

    private static bool Equal(object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return IsComparable(a ?? b) ? false : throw NonComparable(a ?? b);
            case (long x, double y):
                return x == y;
            case (double x, long y):
                return x == y;
            default:
                if (!IsComparable(a))
                {
                    throw NonComparable(a);
                }

                if (!IsComparable(b))
                {
                    throw NonComparable(b);
                }

                return a.GetType() == b.GetType() ? a.Equals(b) : throw new TemplateFunctionException("incompatible types for comparison");
        }
    }

    private static int Compare(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 2);
        return (a[0], a[1]) switch
        {
            (long x, long y) => x.CompareTo(y),
            (long x, double y) => ((double)x).CompareTo(y),
            (double x, long y) => x.CompareTo((double)y),
            (double x, double y) => x.CompareTo(y),
            (string x, string y) => string.CompareOrdinal(x, y),
            (long or double or string, long or double or string) => throw new TemplateFunctionException("incompatible types for comparison"),
            _ => throw new TemplateFunctionException("invalid type for comparison"),
        };
    }

    private static bool IsComparable(object? value) => value is null or long or double or string or bool;

    private static TemplateFunctionException NonComparable(object? value) =>
        new($"non-comparable type {GoValues.TypeName(value)}");
}
