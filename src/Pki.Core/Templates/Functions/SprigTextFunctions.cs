using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's remaining string functions (Masterminds/sprig <c>functions.go</c>, <c>strings.go</c>):
/// <c>title untitle nospace initials abbrev abbrevboth plural trimAll trimall swapcase splitn
/// toString toStrings cat hello b32enc b32dec</c>.
/// </summary>
internal static class SprigTextFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["hello"] = a =>
        {
            FunctionArgs.Count("hello", a, 0);
            return "Hello!";
        };
        table["title"] = a => GoWordUtils.Title(One("title", a));
        table["untitle"] = a => GoWordUtils.Uncapitalize(One("untitle", a));
        table["nospace"] = a => GoWordUtils.DeleteWhiteSpace(One("nospace", a));
        table["initials"] = a => GoWordUtils.Initials(One("initials", a));
        table["swapcase"] = a => GoWordUtils.SwapCase(One("swapcase", a));
        table["abbrev"] = a =>
        {
            FunctionArgs.Count("abbrev", a, 2);
            var (width, s) = (FunctionArgs.Int(a[0]), FunctionArgs.String(a[1]));
            return width < 4 ? s : GoWordUtils.Abbreviate(s, 0, (int)Math.Min(width, int.MaxValue)) ?? "";
        };
        table["abbrevboth"] = a =>
        {
            FunctionArgs.Count("abbrevboth", a, 3);
            var (left, right, s) = (FunctionArgs.Int(a[0]), FunctionArgs.Int(a[1]), FunctionArgs.String(a[2]));
            return right < 4 || (left > 0 && right < 7)
                ? s
                : GoWordUtils.Abbreviate(s, (int)Math.Clamp(left, int.MinValue, int.MaxValue), (int)Math.Min(right, int.MaxValue)) ?? "";
        };
        table["plural"] = a =>
        {
            FunctionArgs.Count("plural", a, 3);
            var (one, many, count) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), FunctionArgs.Int(a[2]));
            return count == 1 ? one : many;
        };
        table["trimAll"] = table["trimall"] = a =>
        {
            FunctionArgs.Count("trimAll", a, 2);
            var (cutset, s) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]));
            return s.Trim(cutset.ToCharArray());
        };
        table["splitn"] = a =>
        {
            FunctionArgs.Count("splitn", a, 3);
            var (sep, n, s) = (FunctionArgs.String(a[0]), FunctionArgs.Int(a[1]), FunctionArgs.String(a[2]));
            return SplitN(s, sep, n).Select((part, i) => (part, i))
                .ToDictionary(p => "_" + p.i, p => (object?)p.part, StringComparer.Ordinal);
        };
        table["toString"] = a =>
        {
            FunctionArgs.Count("toString", a, 1);
            return FunctionArgs.StrVal(a[0]);
        };
        table["toStrings"] = a =>
        {
            FunctionArgs.Count("toStrings", a, 1);
            return ToStrings(a[0]);
        };
        table["cat"] = a => string.Join(' ', a.Where(x => x is not null).Select(GoFormatter.Format));
        table["b32enc"] = a => GoBase32.Encode(Encoding.UTF8.GetBytes(One("b32enc", a)));
        table["b32dec"] = a => GoBase32.DecodeToString(One("b32dec", a));
    }

    /// <summary>sprig's <c>strslice</c>: list elements (nils dropped) as strings; nil is empty; anything else a one-element list.</summary>
    public static List<object?> ToStrings(object? value) => value switch
    {
        IReadOnlyList<object?> list => list.Where(x => x is not null).Select(x => (object?)FunctionArgs.StrVal(x)).ToList(),
        null => [],
        _ => [FunctionArgs.StrVal(value)],
    };

    /// <summary>Go's <c>strings.SplitN</c>: n &lt; 0 splits all, 0 gives nothing, an empty separator splits into characters.</summary>
    private static List<string> SplitN(string s, string sep, long n)
    {
        if (n == 0)
        {
            return [];
        }

        var parts = sep.Length == 0
            ? s.EnumerateRunes().Select(r => r.ToString()).ToList()
            : s.Split(sep).ToList();
        if (n < 0 || parts.Count <= n)
        {
            return parts;
        }

        // The last part keeps the rest of the string, separators included.
        var head = parts.Take((int)n - 1).ToList();
        var consumed = head.Sum(p => p.Length) + head.Count * sep.Length;
        head.Add(s[consumed..]);
        return head;
    }

    private static string One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return FunctionArgs.String(a[0]);
    }
}
