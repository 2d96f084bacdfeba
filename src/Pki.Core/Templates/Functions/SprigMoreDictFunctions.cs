using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's dict functions beyond <see cref="SprigDictFunctions"/> (Masterminds/sprig
/// <c>dict.go</c>): <c>pick omit pluck dig deepCopy merge mergeOverwrite</c> and their
/// <c>must*</c> forms. <c>merge</c> follows dario.cat/mergo on <c>map[string]interface{}</c>:
/// keys missing or empty in the destination are filled from each source, nested maps merge
/// recursively, and the destination map itself is changed and returned.
/// </summary>
internal static class SprigMoreDictFunctions
{
    private const int MaxDepth = 64;

    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["pick"] = a =>
        {
            FunctionArgs.AtLeast("pick", a, 1);
            var dict = FunctionArgs.Map(a[0]);
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var key in a[1..].Select(FunctionArgs.String).Where(dict.ContainsKey))
            {
                result[key] = dict[key];
            }

            return result;
        };
        table["omit"] = a =>
        {
            FunctionArgs.AtLeast("omit", a, 1);
            var dict = FunctionArgs.Map(a[0]);
            var omit = a[1..].Select(FunctionArgs.String).ToHashSet(StringComparer.Ordinal);
            return dict.Where(kv => !omit.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        };
        table["pluck"] = a =>
        {
            FunctionArgs.AtLeast("pluck", a, 1);
            var key = FunctionArgs.String(a[0]);
            return a[1..].Select(FunctionArgs.Map).Where(d => d.ContainsKey(key)).Select(d => d[key]).ToList();
        };
        table["dig"] = Dig;
        table["merge"] = table["mustMerge"] = a => Merge("merge", a, overwrite: false);
        table["mergeOverwrite"] = table["mustMergeOverwrite"] = a => Merge("mergeOverwrite", a, overwrite: true);
        table["deepCopy"] = table["mustDeepCopy"] = a =>
        {
            FunctionArgs.Count("deepCopy", a, 1);
            return DeepCopy(a[0], 0);
        };
    }

    /// <summary>sprig's <c>dig "a" "b" default dict</c>: follows keys through nested maps, the default when a key is missing.</summary>
    private static object? Dig(object?[] a)
    {
        if (a.Length < 3)
        {
            throw new TemplateFunctionException("dig needs at least three arguments");
        }

        var dict = a[^1] as IReadOnlyDictionary<string, object?>
            ?? throw new TemplateFunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(a[^1])}, not map[string]interface {{}}");
        var keys = a[..^2].Select(k => k as string
            ?? throw new TemplateFunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(k)}, not string")).ToList();
        for (var i = 0; ; i++)
        {
            if (!dict.TryGetValue(keys[i], out var step))
            {
                return a[^2];
            }

            if (i == keys.Count - 1)
            {
                return step;
            }

            dict = step as IReadOnlyDictionary<string, object?>
                ?? throw new TemplateFunctionException($"interface conversion: interface {{}} is {GoValues.TypeName(step)}, not map[string]interface {{}}");
        }
    }

    private static object? Merge(string fn, object?[] a, bool overwrite)
    {
        FunctionArgs.AtLeast(fn, a, 1);
        var destination = Mutable(a[0]);
        foreach (var source in a[1..].Select(FunctionArgs.Map))
        {
            MergeInto(destination, source, overwrite, 0);
        }

        return destination;
    }

    private static void MergeInto(IDictionary<string, object?> destination, IReadOnlyDictionary<string, object?> source, bool overwrite, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateFunctionException($"merge: maps nest deeper than {MaxDepth} levels");
        }

        foreach (var (key, value) in source.ToList())
        {
            var exists = destination.TryGetValue(key, out var current);
            if (value is IReadOnlyDictionary<string, object?> nestedSource && current is IDictionary<string, object?> nestedDestination)
            {
                MergeInto(nestedDestination, nestedSource, overwrite, depth + 1);
                continue;
            }

            if (value is null ? overwrite : overwrite || !exists || !GoValues.IsTrue(current))
            {
                destination[key] = value;
            }
        }
    }

    private static object? DeepCopy(object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateFunctionException($"deepCopy error: value nests deeper than {MaxDepth} levels");
        }

        return value switch
        {
            IReadOnlyList<object?> list => list.Select(x => DeepCopy(x, depth + 1)).ToList(),
            IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => DeepCopy(kv.Value, depth + 1), StringComparer.Ordinal),
            _ => value,
        };
    }

    private static IDictionary<string, object?> Mutable(object? value) => value as IDictionary<string, object?>
        ?? throw new TemplateFunctionException($"wrong type for value; expected map[string]interface {{}}; got {GoValues.TypeName(value)}");
}
