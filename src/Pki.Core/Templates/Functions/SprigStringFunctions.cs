using System.Text;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's string functions (Masterminds/sprig <c>functions.go</c>, <c>strings.go</c>). Argument
/// order is sprig's, made for pipelines: the subject string comes last, e.g. <c>replace old new src</c>.
/// </summary>
internal static class SprigStringFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["lower"] = a => One("lower", a).ToLowerInvariant();
        table["upper"] = a => One("upper", a).ToUpperInvariant();
        table["trim"] = a => One("trim", a).Trim();
        table["trimPrefix"] = a => Two("trimPrefix", a, (prefix, s) => prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s);
        table["trimSuffix"] = a => Two("trimSuffix", a, (suffix, s) => suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s);
        table["contains"] = a => Two("contains", a, (sub, s) => s.Contains(sub, StringComparison.Ordinal));
        table["hasPrefix"] = a => Two("hasPrefix", a, (prefix, s) => s.StartsWith(prefix, StringComparison.Ordinal));
        table["hasSuffix"] = a => Two("hasSuffix", a, (suffix, s) => s.EndsWith(suffix, StringComparison.Ordinal));
        table["replace"] = a =>
        {
            FunctionArgs.Count("replace", a, 3);
            var (old, replacement, src) = (FunctionArgs.String(a[0]), FunctionArgs.String(a[1]), FunctionArgs.String(a[2]));
            return old.Length == 0 ? src : src.Replace(old, replacement, StringComparison.Ordinal);
        };
        table["split"] = a => Two("split", a, (sep, s) => (object)GoSplit(s, sep)
            .Select((part, i) => (part, i)).ToDictionary(p => "_" + p.i, p => (object?)p.part, StringComparer.Ordinal));
        table["splitList"] = a => Two("splitList", a, (sep, s) => (object)GoSplit(s, sep).Cast<object?>().ToList());
        table["join"] = a =>
        {
            FunctionArgs.Count("join", a, 2);
            var sep = FunctionArgs.String(a[0]);
            return a[1] switch
            {
                IReadOnlyList<object?> list => string.Join(sep, list.Where(x => x is not null).Select(FunctionArgs.StrVal)),
                null => "",
                var other => FunctionArgs.StrVal(other),
            };
        };
        table["quote"] = a => string.Join(' ', a.Where(x => x is not null).Select(x => GoFormatter.Quote(FunctionArgs.StrVal(x))));
        table["squote"] = a => string.Join(' ', a.Where(x => x is not null).Select(x => "'" + FunctionArgs.StrVal(x) + "'"));
        table["repeat"] = a =>
        {
            FunctionArgs.Count("repeat", a, 2);
            var (count, s) = (FunctionArgs.Int(a[0]), FunctionArgs.String(a[1]));
            if (count < 0 || count * (long)s.Length > TemplateLimits.Default.MaxOutputChars)
            {
                throw new TemplateFunctionException($"repeat count {count} out of range");
            }

            return new StringBuilder(s.Length * (int)count).Insert(0, s, (int)count).ToString();
        };
        table["substr"] = a =>
        {
            FunctionArgs.Count("substr", a, 3);
            var (start, end, s) = (FunctionArgs.Int(a[0]), FunctionArgs.Int(a[1]), FunctionArgs.String(a[2]));
            return Substring(s, start, end);
        };
        table["trunc"] = a =>
        {
            FunctionArgs.Count("trunc", a, 2);
            var (c, s) = (FunctionArgs.Int(a[0]), FunctionArgs.String(a[1]));
            return c < 0 && s.Length + c > 0 ? s[(int)(s.Length + c)..] : c >= 0 && s.Length > c ? s[..(int)c] : s;
        };
    }

    /// <summary>sprig's substring: start &lt; 0 means from 0, end &lt; 0 or past the end means to the end.</summary>
    private static string Substring(string s, long start, long end)
    {
        if (start < 0)
        {
            return end >= 0 && end <= s.Length ? s[..(int)end] : throw new TemplateFunctionException($"slice bounds out of range [:{end}]");
        }

        if (start > s.Length)
        {
            throw new TemplateFunctionException($"slice bounds out of range [{start}:]");
        }

        if (end < 0 || end > s.Length)
        {
            return s[(int)start..];
        }

        return start <= end ? s[(int)start..(int)end] : throw new TemplateFunctionException($"slice bounds out of range [{start}:{end}]");
    }

    /// <summary>Go's strings.Split: an empty separator splits into characters.</summary>
    private static string[] GoSplit(string s, string sep) =>
        sep.Length == 0 ? s.Select(c => c.ToString()).ToArray() : s.Split(sep);

    private static string One(string fn, object?[] a)
    {
        FunctionArgs.Count(fn, a, 1);
        return FunctionArgs.String(a[0]);
    }

    private static object Two<T>(string fn, object?[] a, Func<string, string, T> body)
        where T : notnull
    {
        FunctionArgs.Count(fn, a, 2);
        return body(FunctionArgs.String(a[0]), FunctionArgs.String(a[1]));
    }
}
