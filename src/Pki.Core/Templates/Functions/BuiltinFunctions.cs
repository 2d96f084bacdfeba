using System.Globalization;
using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>Go's <c>text/template</c> built-ins other than comparisons and printing (Go's <c>funcs.go</c>).</summary>
internal static class BuiltinFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["not"] = a =>
        {
            FunctionArgs.Count("not", a, 1);
            return !GoValues.IsTrue(a[0]);
        };
        table["len"] = a =>
        {
            FunctionArgs.Count("len", a, 1);
            return a[0] switch
            {
                string s => (long)Encoding.UTF8.GetByteCount(s),
                IReadOnlyList<object?> l => (long)l.Count,
                IReadOnlyDictionary<string, object?> m => (long)m.Count,
                _ => throw new TemplateFunctionException($"len of type {GoValues.TypeName(a[0])}"),
            };
        };
        table["index"] = Index;
        table["slice"] = Slice;
        table["html"] = a => Html(PrintFunctions.EvalArgs(a));
        table["js"] = a => Js(PrintFunctions.EvalArgs(a));
        table["urlquery"] = a => UrlQuery(PrintFunctions.EvalArgs(a));
    }

    private static object? Index(object?[] a)
    {
        FunctionArgs.AtLeast("index", a, 1);
        var item = a[0];
        foreach (var key in a.Skip(1))
        {
            item = item switch
            {
                IReadOnlyList<object?> list => IndexOf(key, list.Count) is var i ? list[i] : null,
                IReadOnlyDictionary<string, object?> map => key is string k
                    ? map.TryGetValue(k, out var v) ? v : null
                    : throw new TemplateFunctionException($"value has type {GoValues.TypeName(key)}; should be string"),
                string s => (long)Encoding.UTF8.GetBytes(s)[IndexOf(key, Encoding.UTF8.GetByteCount(s))],
                null => throw new TemplateFunctionException("index of untyped nil"),
                _ => throw new TemplateFunctionException($"can't index item of type {GoValues.TypeName(item)}"),
            };
        }

        return item;
    }

    private static int IndexOf(object? key, int length)
    {
        var i = key is long l ? l : throw new TemplateFunctionException($"cannot index slice/array with type {GoValues.TypeName(key)}");
        return i >= 0 && i < length ? (int)i : throw new TemplateFunctionException($"index out of range: {i}");
    }

    private static object? Slice(object?[] a)
    {
        FunctionArgs.AtLeast("slice", a, 1);
        if (a.Length > 3)
        {
            throw new TemplateFunctionException($"too many slice indexes: {a.Length - 1}");
        }

        var (length, item) = a[0] switch
        {
            string s => (Encoding.UTF8.GetByteCount(s), a[0]),
            IReadOnlyList<object?> l => (l.Count, a[0]),
            null => throw new TemplateFunctionException("slice of untyped nil"),
            _ => throw new TemplateFunctionException($"can't slice item of type {GoValues.TypeName(a[0])}"),
        };
        var start = a.Length > 1 ? SliceIndex(a[1], length) : 0;
        var end = a.Length > 2 ? SliceIndex(a[2], length) : length;
        if (start > end)
        {
            throw new TemplateFunctionException($"invalid slice index: {start} > {end}");
        }

        return item is string str
            ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(str), start, end - start)
            : ((IReadOnlyList<object?>)item!).Skip(start).Take(end - start).ToList();
    }

    private static int SliceIndex(object? key, int length)
    {
        var i = key is long l ? l : throw new TemplateFunctionException($"cannot index slice/array with type {GoValues.TypeName(key)}");
        return i >= 0 && i <= length ? (int)i : throw new TemplateFunctionException($"index out of range: {i}");
    }

    /// <summary>Go's <c>template.HTMLEscapeString</c>.</summary>
    private static string Html(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>template.JSEscapeString</c>.</summary>
    private static string Js(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '"' => "\\\"",
                '<' or '>' or '&' or '=' or < ' ' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ when c >= 0x80 && (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                    => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved bytes kept, space as '+', others %XX.</summary>
    private static string UrlQuery(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
