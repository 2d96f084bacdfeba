using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's list functions beyond <see cref="SprigListFunctions"/> (Masterminds/sprig
/// <c>list.go</c>, <c>defaults.go</c>): <c>reverse compact sortAlpha chunk concat slice push
/// tuple all any</c> and the <c>must*</c> variants. In Go the plain variants panic where the
/// <c>must*</c> ones return an error, and text/template reports both alike, so each <c>must*</c>
/// name is the same function. sprig's <c>slice</c> replaces Go's built-in (template FuncMaps
/// take precedence over built-ins), so it only slices lists.
/// </summary>
internal static class SprigMoreListFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["reverse"] = a => Reversed(OnList("reverse", a, "Cannot find reverse on type"));
        table["compact"] = a => OnList("compact", a, "Cannot compact on type").Where(GoValues.IsTrue).ToList();
        table["sortAlpha"] = a =>
        {
            FunctionArgs.Count("sortAlpha", a, 1);
            return a[0] is IReadOnlyList<object?>
                ? SprigTextFunctions.ToStrings(a[0]).Cast<string>().Order(StringComparer.Ordinal).Cast<object?>().ToList()
                : [FunctionArgs.StrVal(a[0])];
        };
        table["chunk"] = a =>
        {
            FunctionArgs.Count("chunk", a, 2);
            var size = FunctionArgs.Int(a[0]);
            var list = List(a[1], "Cannot chunk type");
            if (size <= 0)
            {
                throw new TemplateFunctionException("runtime error: makeslice: len out of range");
            }

            return list.Chunk((int)Math.Min(size, int.MaxValue)).Select(c => (object?)c.ToList()).ToList();
        };
        table["concat"] = a => a.SelectMany(l => List(l, "Cannot concat type", " as list")).ToList();
        table["slice"] = a =>
        {
            FunctionArgs.AtLeast("slice", a, 1);
            var list = a[0] is null ? throw NilKind() : a[0] as IReadOnlyList<object?>
                ?? throw new TemplateFunctionException($"list should be type of slice or array but {SprigReflectFunctions.Kind(a[0])}");
            if (list.Count == 0)
            {
                return null;
            }

            var start = a.Length > 1 ? GoCast.ToInt64(a[1]) : 0;
            var end = a.Length > 2 ? GoCast.ToInt64(a[2]) : list.Count;
            if (start < 0 || end > list.Count || start > end)
            {
                throw new TemplateFunctionException($"reflect.Value.Slice: slice index out of bounds");
            }

            return list.Skip((int)start).Take((int)(end - start)).ToList();
        };
        table["push"] = table["mustPush"] = table["mustAppend"] = table["append"];
        table["tuple"] = table["list"];
        table["mustPrepend"] = table["prepend"];
        table["mustFirst"] = table["first"];
        table["mustLast"] = table["last"];
        table["mustRest"] = table["rest"];
        table["mustInitial"] = table["initial"];
        table["mustUniq"] = table["uniq"];
        table["mustWithout"] = table["without"];
        table["mustHas"] = table["has"];
        table["mustReverse"] = table["reverse"];
        table["mustCompact"] = table["compact"];
        table["mustSlice"] = table["slice"];
        table["mustChunk"] = table["chunk"];
        table["all"] = a => a.All(GoValues.IsTrue);
        table["any"] = a => a.Any(GoValues.IsTrue);
    }

    private static List<object?> Reversed(IReadOnlyList<object?> list)
    {
        var copy = list.ToList();
        copy.Reverse();
        return copy;
    }

    private static IReadOnlyList<object?> OnList(string fn, object?[] a, string message)
    {
        FunctionArgs.Count(fn, a, 1);
        return List(a[0], message);
    }

    /// <summary>A slice argument; sprig's own message (with reflect's kind name) otherwise, nil as Go's nil dereference.</summary>
    private static IReadOnlyList<object?> List(object? value, string message, string suffix = "") => value switch
    {
        null => throw NilKind(),
        IReadOnlyList<object?> list => list,
        _ => throw new TemplateFunctionException($"{message} {SprigReflectFunctions.Kind(value)}{suffix}"),
    };

    /// <summary>sprig calls <c>reflect.TypeOf(nil).Kind()</c>, a nil dereference, on untyped nil.</summary>
    private static TemplateFunctionException NilKind() => new("runtime error: invalid memory address or nil pointer dereference");
}
