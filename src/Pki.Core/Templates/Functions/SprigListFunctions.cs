using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>sprig's list functions (Masterminds/sprig <c>list.go</c>); all return new lists.</summary>
internal static class SprigListFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["list"] = a => a.ToList();
        table["first"] = a => OnList("first", a, l => l.Count == 0 ? null : l[0]);
        table["last"] = a => OnList("last", a, l => l.Count == 0 ? null : l[^1]);
        table["rest"] = a => OnList("rest", a, l => l.Count == 0 ? null : l.Skip(1).ToList());
        table["initial"] = a => OnList("initial", a, l => l.Count == 0 ? null : l.Take(l.Count - 1).ToList());
        table["uniq"] = a => OnList("uniq", a, l =>
        {
            var result = new List<object?>();
            foreach (var item in l.Where(item => !result.Any(r => GoValues.DeepEqual(r, item))))
            {
                result.Add(item);
            }

            return result;
        });
        table["append"] = a =>
        {
            FunctionArgs.Count("append", a, 2);
            return FunctionArgs.List("append", a[0]).Append(a[1]).ToList();
        };
        table["prepend"] = a =>
        {
            FunctionArgs.Count("prepend", a, 2);
            return FunctionArgs.List("prepend", a[0]).Prepend(a[1]).ToList();
        };
        table["has"] = a =>
        {
            FunctionArgs.Count("has", a, 2);
            return a[1] is not null && FunctionArgs.List("has", a[1]).Any(x => GoValues.DeepEqual(x, a[0]));
        };
        table["without"] = a =>
        {
            FunctionArgs.AtLeast("without", a, 1);
            var omit = a[1..];
            return FunctionArgs.List("without", a[0]).Where(x => !omit.Any(o => GoValues.DeepEqual(o, x))).ToList();
        };
    }

    private static object? OnList(string fn, object?[] a, Func<IReadOnlyList<object?>, object?> body)
    {
        FunctionArgs.Count(fn, a, 1);
        return body(FunctionArgs.List(fn, a[0]));
    }
}
