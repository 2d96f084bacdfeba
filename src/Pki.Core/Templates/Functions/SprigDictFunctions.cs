using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's dict functions (Masterminds/sprig <c>dict.go</c>). <c>set</c> and <c>unset</c> change
/// the map they are given, as in Go; Go's map order is random, so <c>keys</c> and <c>values</c>
/// here use sorted key order to stay deterministic.
/// </summary>
internal static class SprigDictFunctions
{
    public static void Register(Dictionary<string, Func<object?[], object?>> table)
    {
        table["dict"] = a =>
        {
            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < a.Length; i += 2)
            {
                dict[FunctionArgs.StrVal(a[i])] = i + 1 < a.Length ? a[i + 1] : "";
            }

            return dict;
        };
        table["get"] = a =>
        {
            FunctionArgs.Count("get", a, 2);
            return FunctionArgs.Map(a[0]).TryGetValue(FunctionArgs.String(a[1]), out var v) ? v : "";
        };
        table["hasKey"] = a =>
        {
            FunctionArgs.Count("hasKey", a, 2);
            return FunctionArgs.Map(a[0]).ContainsKey(FunctionArgs.String(a[1]));
        };
        table["set"] = a =>
        {
            FunctionArgs.Count("set", a, 3);
            var map = Mutable(a[0]);
            map[FunctionArgs.String(a[1])] = a[2];
            return map;
        };
        table["unset"] = a =>
        {
            FunctionArgs.Count("unset", a, 2);
            var map = Mutable(a[0]);
            map.Remove(FunctionArgs.String(a[1]));
            return map;
        };
        table["keys"] = a => a.SelectMany(d => GoFormatter.SortedKeys(FunctionArgs.Map(d))).Cast<object?>().ToList();
        table["values"] = a =>
        {
            FunctionArgs.Count("values", a, 1);
            var map = FunctionArgs.Map(a[0]);
            return GoFormatter.SortedKeys(map).Select(k => map[k]).ToList();
        };
    }

    private static IDictionary<string, object?> Mutable(object? value) => value as IDictionary<string, object?>
        ?? throw new TemplateFunctionException($"wrong type for value; expected map[string]interface {{}}; got {GoValues.TypeName(value)}");
}
